module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'power',
  rootDir: __dirname,
};
