module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'revenue',
  rootDir: __dirname,
};
