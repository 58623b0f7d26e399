// Shared Jest set-up. Nest 12 is ESM-only, so Jest runs in native ESM mode
// (node --experimental-vm-modules, see the `test` target in nx.json) and SWC
// emits ES modules with decorator metadata for Nest's dependency injection.
const path = require('node:path');

const root = __dirname;
const swcTypeScript = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};
// Two CommonJS packages (@fastify/static, light-my-request) `require` ESM-only
// dependencies; Jest cannot, so those dependencies are compiled to CommonJS.
const esmOnlyRequiredFromCommonJs = ['content-disposition', 'cookie'];

module.exports = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    [`node_modules/(${esmOnlyRequiredFromCommonJs.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    '^.+\\.ts$': ['@swc/jest', swcTypeScript],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnlyRequiredFromCommonJs.join('|')})/)`],
  moduleNameMapper: {
    '^@fleet/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
    '^@fleet/event-sourcing$': path.join(root, 'libs/event-sourcing/src/index.ts'),
    '^@fleet/event-sourcing/testing$': path.join(root, 'libs/event-sourcing/src/testing/index.ts'),
    '^@fleet/messaging$': path.join(root, 'libs/messaging/src/index.ts'),
    '^@fleet/messaging/testing$': path.join(root, 'libs/messaging/src/testing/index.ts'),
    '^@fleet/service-kit$': path.join(root, 'libs/service-kit/src/index.ts'),
    '^@fleet/service-kit/testing$': path.join(root, 'libs/service-kit/src/testing/index.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  testTimeout: 30000,
};
