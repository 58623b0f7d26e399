// `npm run dead-letters -- list|replay …`: builds the tool (cached by Nx once built), then runs it
// with the arguments after `--`. The build's output goes to stderr, so that `list --json` pipes clean.
import { spawnSync } from 'node:child_process';

const build = spawnSync('npx', ['nx', 'run', 'dead-letters:build', '--outputStyle=static'], {
  stdio: ['ignore', process.stderr, 'inherit'],
  env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: process.env.NX_DAEMON ?? 'false' },
});
if (build.status !== 0) process.exit(build.status ?? 1);

const run = spawnSync(process.execPath, ['dist/tools/dead-letters/main.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
