// `npm start`: builds every service and runs them all on this machine against NATS at NATS_URL,
// each with its embedded SQLite store under ./data (or PostgreSQL when DATABASE_URL is set).
// Output lines are prefixed with the service's name; Ctrl-C stops them all gracefully.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

export const SERVICES = [
  { name: 'procurement', port: 3001 },
  { name: 'inventory', port: 3002 },
  { name: 'power', port: 3003 },
  { name: 'revenue', port: 3004 },
  { name: 'reporting', port: 3005 },
];

/**
 * What reporting reads where a stream was cut by retention: each service's GET /events, at the
 * port `npm start` gives it (unless set already).
 */
const feedUrls = Object.fromEntries(
  SERVICES.filter((service) => service.name !== 'reporting').map((service) => [
    `${service.name.toUpperCase()}_URL`,
    process.env[`${service.name.toUpperCase()}_URL`] ??
      `http://127.0.0.1:${process.env[`${service.name.toUpperCase()}_PORT`] ?? service.port}`,
  ]),
);

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** The URL as it may be printed: credentials (`nats://user:pass@host`) become `***` (as @fleet/messaging's redactNatsUrl). */
function redactNatsUrl(url) {
  const at = url.lastIndexOf('@');
  const scheme = url.indexOf('://');
  return at < 0 || scheme < 0 || at < scheme ? url : `${url.slice(0, scheme + 3)}***${url.slice(at)}`;
}

function reachable(url) {
  const { hostname, port } = new URL(url.split(',')[0]);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 4222) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

if (!(await reachable(natsUrl))) {
  console.error(
    `fleet: NATS is not reachable at ${natsUrl
      .split(',')
      .map((url) => redactNatsUrl(url.trim()))
      .join(', ')}; start one with JetStream (nats-server -js) or set NATS_URL.`,
  );
  process.exit(1);
}

const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '-p', SERVICES.map((s) => s.name).join(','), '--outputStyle=static'],
  { stdio: 'inherit', env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' } },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const children = new Map();
let stopping = false;

function prefixLines(stream, name, target) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) target.write(`${name.padEnd(12)}| ${line}\n`);
  });
}

function stopAll(signal = 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill(signal);
}

for (const service of SERVICES) {
  const child = spawn(process.execPath, [`dist/apps/${service.name}/main.js`], {
    env: {
      ...(service.name === 'reporting' ? feedUrls : {}),
      ...process.env,
      PORT: process.env[`${service.name.toUpperCase()}_PORT`] ?? String(service.port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(service.name, child);
  prefixLines(child.stdout, service.name, process.stdout);
  prefixLines(child.stderr, service.name, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      console.error(`fleet: ${service.name} exited (${signal ?? code}); stopping the others`);
      process.exitCode = 1;
      stopAll();
    }
    if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
}

// The dashboard's address, once reporting answers (its own log lines scroll past it otherwise).
const reportingPort = process.env.REPORTING_PORT ?? String(SERVICES.find((s) => s.name === 'reporting').port);
const dashboardUrl = `http://localhost:${reportingPort}/`;
void (async () => {
  for (let attempt = 0; attempt < 240 && !stopping; attempt++) {
    const live = await fetch(`http://127.0.0.1:${reportingPort}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) {
      console.log(`fleet: the dashboard is at ${dashboardUrl} (enter a reports, finance or operations key)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
})();

process.on('SIGINT', () => stopAll());
process.on('SIGTERM', () => stopAll());
