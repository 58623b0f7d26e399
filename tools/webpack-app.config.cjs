// The one webpack build of every Fleet app: `module.exports = fleetAppWebpackConfig(__dirname)` in
// apps/<app>/webpack.config.cjs. Nx's plugin compiles with tsc (decorator metadata) and writes a
// package.json of the bundle's dependencies next to it, for `npm ci --omit=dev` in the image.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('node:path');

// `outputPath` for a bundle that is not an app under apps/ (an operator's tool); `assets`: files
// copied next to the bundle (Nx's `{ input, glob, output }`), e.g. reporting's built dashboard.
module.exports = function fleetAppWebpackConfig(
  appDirectory,
  { outputPath = join(appDirectory, '../../dist/apps', basename(appDirectory)), assets = [] } = {},
) {
  return {
    output: { path: outputPath },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: join(appDirectory, 'src/main.ts'),
        tsConfig: join(appDirectory, 'tsconfig.app.json'),
        outputHashing: 'none',
        optimization: false,
        generatePackageJson: true,
        externalDependencies: 'all',
        sourceMap: true,
        assets,
      }),
    ],
  };
};
