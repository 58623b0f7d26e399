// `npm run reports:rebuild`: asks the running reporting service (REPORTING_URL, default
// http://127.0.0.1:3005) to rebuild every report (POST /admin/rebuild), then follows it on
// GET /reports/status: a progress bar (events done, rate, time left) on a terminal, one plain
// line every few seconds otherwise. The admin key: FLEET_API_KEY, else the `admin` key of
// ./data/api-keys.json (the keys `npm start` generates). Exits 0 once the new generation is
// active, 1 if the rebuild failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const baseUrl = (process.env.REPORTING_URL ?? 'http://127.0.0.1:3005').replace(/\/$/, '');
const tty = Boolean(process.stdout.isTTY);
const POLL_MS = tty ? 250 : 2000;

function adminKey() {
  if (process.env.FLEET_API_KEY) return process.env.FLEET_API_KEY;
  const file = join(process.env.DATA_DIR ?? 'data', 'api-keys.json');
  if (existsSync(file)) {
    const admin = JSON.parse(readFileSync(file, 'utf8')).keys?.find((entry) => entry.role === 'admin');
    if (admin) return admin.key;
  }
  console.error(`reports:rebuild: set FLEET_API_KEY to an admin key (no ${file} with one)`);
  process.exit(1);
}

const headers = { authorization: `Bearer ${adminKey()}`, accept: 'application/json' };

async function call(method, path) {
  let response;
  try {
    response = await fetch(`${baseUrl}${path}`, { method, headers });
  } catch (error) {
    console.error(
      `reports:rebuild: reporting is not reachable at ${baseUrl} (${error.cause?.code ?? error.message}); start it or set REPORTING_URL`,
    );
    process.exit(1);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    console.error(
      `reports:rebuild: ${method} ${path} answered ${response.status}: ${body.detail ?? body.title ?? ''}`,
    );
    process.exit(1);
  }
  return body;
}

const duration = (ms) => {
  if (!Number.isFinite(ms)) return '--:--';
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};

function describe(progress) {
  const done = progress?.eventsDone ?? 0;
  const expected = Math.max(progress?.eventsExpected ?? 0, done);
  const elapsed = progress?.elapsedMs ?? 0;
  const rate = elapsed > 0 ? done / (elapsed / 1000) : 0;
  const left = rate > 0 ? ((expected - done) / rate) * 1000 : Number.POSITIVE_INFINITY;
  return { done, expected, rate, left, fraction: expected > 0 ? done / expected : 0 };
}

function render(generation, progress) {
  const { done, expected, rate, left, fraction } = describe(progress);
  const figures = `${done.toLocaleString('en')}/${expected.toLocaleString('en')} events  ${Math.round(rate).toLocaleString('en')}/s  ${duration(left)} left`;
  if (!tty) return console.log(`generation ${generation}: ${figures}`);
  const width = Math.max(10, Math.min(40, (process.stdout.columns ?? 80) - figures.length - 10));
  const filled = Math.round(fraction * width);
  process.stdout.write(
    `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%  ${figures}\u001b[K`,
  );
}

const { generation } = await call('POST', '/admin/rebuild');
console.log(`reports:rebuild: rebuilding generation ${generation} at ${baseUrl}`);
for (;;) {
  const status = await call('GET', '/reports/status');
  const rebuild = status.rebuild?.generation === generation ? status.rebuild : undefined;
  if (rebuild) render(generation, rebuild.progress);
  if (rebuild?.state === 'done') {
    if (tty) process.stdout.write('\n');
    const { done, rate } = describe(rebuild.progress);
    console.log(
      `reports:rebuild: generation ${generation} is active (${done.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s)`,
    );
    process.exit(0);
  }
  if (rebuild?.state === 'failed') {
    if (tty) process.stdout.write('\n');
    console.error(
      `reports:rebuild: generation ${generation} failed, the reports stay as they were: ${rebuild.error}`,
    );
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
