module.exports = require('../../tools/webpack-app.config.cjs')(__dirname);
