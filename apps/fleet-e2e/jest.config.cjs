module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'fleet-e2e',
  rootDir: __dirname,
  testMatch: ['**/*.e2e.spec.ts'],
  // Whole services run as child processes here; one suite at a time keeps the 2-core machine sane.
  maxWorkers: 1,
  testTimeout: 180000,
};
