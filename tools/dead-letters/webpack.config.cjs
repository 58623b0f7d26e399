// An operator's tool, not a service: built like the apps, into dist/tools (k8s:validate expects a
// Deployment for every app under apps/).
const { join } = require('node:path');

module.exports = require('../webpack-app.config.cjs')(__dirname, {
  outputPath: join(__dirname, '../../dist/tools/dead-letters'),
});
