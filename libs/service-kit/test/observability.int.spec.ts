import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION } from '../src';
import { SERVICE } from './widgets.module';
import { startWidgets, type WidgetsApp } from './widgets-app';

const ADMIN_KEY = 'admin-key-0123456789abcdef';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly service?: string;
  readonly correlationId?: string;
  readonly req?: { readonly url?: string; readonly headers?: Record<string, string> };
  readonly err?: { readonly message?: string; readonly stack?: string };
}

// pino keeps one root logger per process (here: per test file), so this file has its own app.
describe('observability', () => {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  let widgets: WidgetsApp;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    widgets = await startWidgets({
      driver: 'sqlite',
      label: 'kitlog',
      config: { FLEET_API_KEYS: `admin:${ADMIN_KEY}`, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '3000' },
      logDestination: destination,
    });
    ({ app } = widgets);
  });

  afterAll(() => widgets?.dispose());

  it("are JSON lines carrying the service and the request's correlation id, without the API key", async () => {
    await app.inject({
      method: 'GET',
      url: '/widgets',
      headers: { 'x-correlation-id': 'log-trace-1', authorization: `Bearer ${ADMIN_KEY}` },
    });
    const completed = lines.find(
      (line) => line.correlationId === 'log-trace-1' && line.msg === 'request completed',
    );
    expect(completed).toMatchObject({ service: SERVICE, req: { url: '/widgets' } });
    expect(completed?.req?.headers?.['authorization']).toBe('[redacted]');
    expect(JSON.stringify(lines)).not.toContain(ADMIN_KEY);
  });

  it('logs an unexpected error with its stack and the correlation id it was answered with', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/boom',
      headers: { 'x-correlation-id': 'log-trace-2' },
    });
    expect(response.statusCode).toBe(500);
    const logged = lines.find(
      (line) => line.correlationId === 'log-trace-2' && line.level === 50 && line.err,
    );
    expect(logged?.err?.message).toContain('connection string');
    expect(logged?.err?.stack).toContain('boom');
    expect(logged?.msg).toBe('unexpected error answered with 500');
  });

  it('leaves probes and scrapes out of the request log', async () => {
    await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-correlation-id': 'log-trace-3' } });
    await app.inject({ method: 'GET', url: '/ping', headers: { 'x-correlation-id': 'log-trace-4' } });
    expect(lines.some((line) => line.correlationId === 'log-trace-4')).toBe(true);
    expect(lines.some((line) => line.correlationId === 'log-trace-3')).toBe(false);
  });

  // Last: it takes NATS away from the app.
  it('reports not ready (503) when NATS is gone, naming it, while still live', async () => {
    await app.get<NatsConnection>(NATS_CONNECTION).close();
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'error',
      error: { nats: { status: 'down' } },
      info: { database: { status: 'up' } },
    });
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});
