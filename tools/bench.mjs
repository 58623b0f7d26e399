// `npm run bench`: every project's `bench` target. Each benchmark prints one JSON line per case
// with its figure and a baseline measured in the same run, so the ratios survive noisy machines.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' };
const args = [
  'nx',
  'run-many',
  '-t',
  'bench',
  '--parallel=1',
  '--outputStyle=static',
  ...process.argv.slice(2),
];
const result = spawnSync('npx', args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
