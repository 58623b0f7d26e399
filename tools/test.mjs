// `npm test`: every project's tests (unit and integration) through Nx, then one summary line.
// Integration tests expect NATS at NATS_URL and PostgreSQL at FLEET_TEST_DATABASE_URL (defaults
// to the local servers; see README).
import { spawnSync } from 'node:child_process';

const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: process.env.NX_DAEMON ?? 'false' };
const args = ['nx', 'run-many', '-t', 'test', '--outputStyle=static', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
