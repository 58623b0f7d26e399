const { join } = require('node:path');

// The dashboard's bundle (built first: reporting's implicit dependency) goes to dashboard/ next to
// main.js, where the service serves it from (DASHBOARD_DIR overrides), in dist/ and in the image.
module.exports = require('../../tools/webpack-app.config.cjs')(__dirname, {
  assets: [{ input: join(__dirname, '../../dist/apps/dashboard'), glob: '**/*', output: 'dashboard' }],
});
