module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'fleet-e2e-bench',
  rootDir: __dirname,
  testMatch: ['**/*.bench.ts'],
  maxWorkers: 1,
  testTimeout: 600000,
};
