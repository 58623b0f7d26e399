import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { DataSource } from 'typeorm';
import { MessagingLifecycle, NATS_CONNECTION } from '../src';
import { LogCapture } from './support/log-capture';
import { NATS_URL, WidgetsTestEnvironment } from './support/widgets-test-environment';

const OPERATIONS_KEY = 'operations-key-0123456789abcdef';
/** The default SHUTDOWN_TIMEOUT_MS, on purpose: a standby used to wait all of it out. */
const SHUTDOWN_BUDGET_MS = 15_000;

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly context?: string;
}

async function waitFor(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// pino keeps one root logger per process: every instance of both drivers logs here.
const { lines, destination } = new LogCapture<LogLine>();

describe.each(TEST_DRIVERS)('two instances of a service on one %s database', (driver) => {
  let environment: WidgetsTestEnvironment;
  const open: NestFastifyApplication[] = [];

  /** One more instance of the service; on SQLite all of them use <DATA_DIR>/widgets.sqlite. */
  function instance(): Promise<NestFastifyApplication> {
    return environment.createApp(
      {
        FLEET_API_KEYS: `operations:${OPERATIONS_KEY}`,
        LOG_LEVEL: 'info',
        NODE_ENV: 'test',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_BUDGET_MS),
      },
      destination,
    );
  }

  beforeEach(async () => {
    environment = await WidgetsTestEnvironment.create(driver, 'kitstandby');
  });

  afterEach(async () => {
    for (const app of open.splice(0)) await app.close();
    await environment.dispose();
  });

  it('stop promptly: the standby without a false warning, the lease holder after publishing', async () => {
    const holder = await instance();
    open.push(holder);
    const holderRelay = holder.get(MessagingLifecycle).relay;
    await waitFor(() => holderRelay?.state === 'active', 'the first instance to take the lease');
    const standby = await instance();
    open.push(standby);
    const standbyRelay = standby.get(MessagingLifecycle).relay;
    await waitFor(() => standbyRelay?.state === 'standby', 'the second instance to stand by');

    const created = await holder.inject({
      method: 'POST',
      url: '/widgets',
      headers: { authorization: `Bearer ${OPERATIONS_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ facilityId: 'site-1', name: 'before-shutdown' }),
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();

    const standbyNats = standby.get<NatsConnection>(NATS_CONNECTION);
    const standbyDatabase = standby.get(DataSource);
    const linesBefore = lines.length;
    const started = Date.now();
    open.splice(open.indexOf(standby), 1);
    await standby.close();
    // Generous: before, the standby waited out (nearly) the whole budget for a flush it cannot do.
    expect(Date.now() - started).toBeLessThan(SHUTDOWN_BUDGET_MS / 3);
    const standbyLines = lines.slice(linesBefore);
    expect(standbyLines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([]);
    expect(standbyLines.map((line) => line.msg)).toContain(
      'the relay was standing by: the instance holding its lease publishes the rest',
    );
    expect(standbyRelay?.state).toBe('stopped');
    expect(standbyNats.isClosed()).toBe(true);
    expect(standbyDatabase.isInitialized).toBe(false);

    open.splice(open.indexOf(holder), 1);
    await holder.close();
    expect(holderRelay?.state).toBe('stopped');
    const observer = await connect({ servers: NATS_URL });
    try {
      const last = await (
        await jetstreamManager(observer)
      ).streams.getMessage(environment.names.streamOf('inventory'), {
        last_by_subj: environment.names.subjectOf('inventory', 'site-1', 'WidgetCreated'),
      });
      expect(last?.json<{ streamId: string }>().streamId).toBe(`widget-${id}`);
    } finally {
      await observer.close();
    }
  });
});
