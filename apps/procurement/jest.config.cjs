module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'procurement',
  rootDir: __dirname,
};
