import { ConfigError } from './config.error';
import { loadFleetConfig, loadToolSettings, type FleetEnv } from './fleet-config';

const KEYS = 'admin:admin-key-0123456789abcdef,reports:reports-key-0123456789abcdef';

function load(env: FleetEnv) {
  return loadFleetConfig({ service: 'procurement', defaultPort: 3001, env: { FLEET_API_KEYS: KEYS, ...env } })
    .config;
}

function problemsOf(env: FleetEnv): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadFleetConfig', () => {
  it('fills in the defaults', () => {
    const config = load({});
    expect(config.http).toEqual({ port: 3001, host: '0.0.0.0', bodyLimitBytes: 16 * 1024 * 1024 });
    expect(config.nats).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      security: {},
      streamReplicas: 1,
      namespace: undefined,
      ackWaitMs: 30_000,
      relayRepublishMarginMs: 120_000,
      streamLimits: { maxAgeMs: 0 },
    });
    expect(config.database).toEqual({
      driver: 'sqlite',
      sqliteFile: expect.stringMatching(/\/data\/procurement\.sqlite$/),
    });
    expect(config.logLevel).toBe('info');
    expect(config.production).toBe(false);
    expect(config.idempotencyTtlMs).toBe(24 * 3600 * 1000);
    expect(config.inboxRetentionMs).toBe(24 * 3600 * 1000);
    expect(config.auth.source).toBe('environment');
    expect(config.auth.keys.map((key) => key.role)).toEqual(['admin', 'reports']);
  });

  it('reads every setting', () => {
    const config = load({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      NATS_URL: 'nats://a:4222, nats://b:4222',
      NATS_STREAM_REPLICAS: '3',
      FLEET_NATS_NAMESPACE: 't_abc',
      DATABASE_URL: 'postgres://fleet@db:5432/fleet',
      DATA_DIR: '/var/lib/fleet',
      LOG_LEVEL: 'warn',
      BODY_LIMIT_BYTES: '2048',
      SHUTDOWN_TIMEOUT_MS: '5000',
      IDEMPOTENCY_TTL_SECONDS: '3600',
      NATS_ACK_WAIT_MS: '5000',
      NATS_STREAM_MAX_AGE_MS: '2592000000',
      NATS_STREAM_MAX_BYTES: '10737418240',
      INBOX_RETENTION_MS: '172800000',
    });
    expect(config).toMatchObject({
      production: true,
      http: { port: 8080, host: '127.0.0.1', bodyLimitBytes: 2048 },
      nats: {
        servers: ['nats://a:4222', 'nats://b:4222'],
        streamReplicas: 3,
        namespace: 't_abc',
        ackWaitMs: 5000,
        relayRepublishMarginMs: 0,
        streamLimits: { maxAgeMs: 2_592_000_000, maxBytes: 10_737_418_240 },
      },
      database: { driver: 'postgres', url: 'postgres://fleet@db:5432/fleet', schema: 'procurement' },
      dataDir: '/var/lib/fleet',
      logLevel: 'warn',
      shutdownTimeoutMs: 5000,
      idempotencyTtlMs: 3_600_000,
      inboxRetentionMs: 172_800_000,
    });
  });

  it('re-publishes behind the checkpoint after a restart only where streams have one replica, unless told', () => {
    expect(load({}).nats.relayRepublishMarginMs).toBe(120_000);
    expect(load({ NATS_STREAM_REPLICAS: '3' }).nats.relayRepublishMarginMs).toBe(0);
    expect(load({ RELAY_REPUBLISH_MARGIN_MS: '0' }).nats.relayRepublishMarginMs).toBe(0);
    expect(
      load({ NATS_STREAM_REPLICAS: '3', RELAY_REPUBLISH_MARGIN_MS: '60000' }).nats.relayRepublishMarginMs,
    ).toBe(60_000);
    expect(problemsOf({ NATS_ACK_WAIT_MS: '10' }).settings).toEqual(['NATS_ACK_WAIT_MS']);
  });

  it('bounds pages, relay batches, PostgreSQL sessions and a held-back feed, with defaults', () => {
    const defaults = load({ DATABASE_URL: 'postgres://fleet@db:5432/fleet' });
    expect(defaults.feed).toEqual({
      pageMaxBytes: 4 * 1024 * 1024,
      relayBatchMaxBytes: 8 * 1024 * 1024,
      heldBackLimitMs: 60_000,
    });
    expect(defaults.database).toMatchObject({
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 15_000,
    });

    const set = load({
      DATABASE_URL: 'postgres://fleet@db:5432/fleet',
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5000',
      EVENTS_PAGE_MAX_BYTES: '65536',
      RELAY_BATCH_MAX_BYTES: '1048576',
      FEED_HELD_BACK_LIMIT_MS: '120000',
    });
    expect(set.feed).toEqual({
      pageMaxBytes: 65_536,
      relayBatchMaxBytes: 1_048_576,
      heldBackLimitMs: 120_000,
    });
    expect(set.database).toMatchObject({ statementTimeoutMs: 0, idleInTransactionTimeoutMs: 5000 });

    expect(
      problemsOf({
        DATABASE_STATEMENT_TIMEOUT_MS: '-1',
        FEED_HELD_BACK_LIMIT_MS: '10',
        EVENTS_PAGE_MAX_BYTES: '100',
        RELAY_BATCH_MAX_BYTES: 'lots',
      }).settings,
    ).toEqual([
      'RELAY_BATCH_MAX_BYTES',
      'DATABASE_STATEMENT_TIMEOUT_MS',
      'FEED_HELD_BACK_LIMIT_MS',
      'EVENTS_PAGE_MAX_BYTES',
    ]);
  });

  it('refuses a stream max age shorter than the duplicate window and a byte limit under 1 MiB', () => {
    expect(load({ NATS_STREAM_MAX_AGE_MS: '0' }).nats.streamLimits).toEqual({ maxAgeMs: 0 });
    const error = problemsOf({ NATS_STREAM_MAX_AGE_MS: '60000', NATS_STREAM_MAX_BYTES: '1000' });
    expect(error.settings).toEqual(['NATS_STREAM_MAX_AGE_MS', 'NATS_STREAM_MAX_BYTES']);
    expect(error.message).toContain(
      'NATS_STREAM_MAX_AGE_MS: must be 0 (forever) or at least the duplicate window of 300000 ms (got "60000")',
    );
    expect(error.message).toContain('NATS_STREAM_MAX_BYTES: must be at least 1048576 (got "1000")');
  });

  it('keeps inbox rows longer than the furthest a repeat reaches back', () => {
    expect(load({ INBOX_RETENTION_MS: '3600000' }).inboxRetentionMs).toBe(3_600_000);
    // Duplicate window (5 min) + 2 × a 30-minute re-publish margin = 65 minutes.
    const error = problemsOf({ INBOX_RETENTION_MS: '3600000', RELAY_REPUBLISH_MARGIN_MS: '1800000' });
    expect(error.settings).toEqual(['INBOX_RETENTION_MS']);
    expect(error.message).toContain(
      "INBOX_RETENTION_MS: must be longer than the duplicate window plus twice the relay's re-publish margin, 3900000 ms",
    );
    expect(problemsOf({ INBOX_RETENTION_MS: '60000' }).message).toContain(
      'INBOX_RETENTION_MS: must be at least 3600000 (got "60000")',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(load({ PORT: '', DATABASE_URL: ' ' }).http.port).toBe(3001);
  });

  it('names every wrong setting, with its value unless it is secret', () => {
    const error = problemsOf({
      PORT: 'eighty',
      NATS_URL: 'http://nats:4222',
      LOG_LEVEL: 'loud',
      BODY_LIMIT_BYTES: '10',
      DATABASE_URL: 'mysql://root:hunter2@db/fleet',
    });
    expect(error.settings).toEqual(['PORT', 'NATS_URL', 'DATABASE_URL', 'LOG_LEVEL', 'BODY_LIMIT_BYTES']);
    expect(error.message).toContain('PORT: must be a whole number (got "eighty")');
    expect(error.message).toContain('NATS_URL: must be nats:// or tls:// or ws:// or wss:// URL(s)');
    expect(error.message).toContain(
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(error.message).toContain('BODY_LIMIT_BYTES: must be at least 1024 (got "10")');
    expect(error.message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a port out of range and a namespace NATS would not accept', () => {
    expect(problemsOf({ PORT: '70000' }).message).toContain('PORT: must be at most 65535');
    expect(problemsOf({ FLEET_NATS_NAMESPACE: 'Has.Dots' }).settings).toEqual(['FLEET_NATS_NAMESPACE']);
  });

  it('requires FLEET_API_KEYS in production', () => {
    const error = (() => {
      try {
        loadFleetConfig({ service: 'inventory', defaultPort: 3002, env: { NODE_ENV: 'production' } });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/FLEET_API_KEYS: is required in production/);
  });

  it('names a bad FLEET_API_KEYS entry without printing any key', () => {
    const error = problemsOf({ FLEET_API_KEYS: 'admin:tiny-key,boss:boss-key-0123456789abcdef' });
    expect(error.settings).toEqual(['FLEET_API_KEYS']);
    expect(error.message).toContain('the key of entry 1 (admin) is shorter than 16 characters');
    expect(error.message).toContain('entry 2 has the unknown role "boss"');
    expect(error.message).not.toContain('boss-key-0123456789abcdef');
    expect(error.message).not.toContain('tiny-key');
  });

  it('reports a bad FLEET_API_KEYS together with every other wrong setting', () => {
    const error = problemsOf({
      PORT: 'eighty',
      FLEET_API_KEYS: 'boss:boss-key-0123456789abcdef',
      LOG_LEVEL: 'loud',
    });
    expect(error.settings).toEqual(['PORT', 'FLEET_API_KEYS', 'LOG_LEVEL']);
    expect(error.message).toContain('entry 1 has the unknown role "boss"');
    expect(error.message).not.toContain('boss-key-0123456789abcdef');
  });

  it('reports a missing FLEET_API_KEYS in production together with every other wrong setting', () => {
    const error = (() => {
      try {
        loadFleetConfig({
          service: 'inventory',
          defaultPort: 3002,
          env: { NODE_ENV: 'production', NATS_URL: 'http://nats:4222' },
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).settings).toEqual(['NATS_URL', 'FLEET_API_KEYS']);
    expect((error as ConfigError).message).toMatch(/FLEET_API_KEYS: is required in production/);
  });

  it('keeps business time on the system clock unless a test asks for a controlled one', () => {
    expect(load({}).clock).toEqual({ mode: 'system', start: undefined });
    expect(load({ FLEET_CLOCK: 'controlled', FLEET_CLOCK_START: '2026-10-01T02:00:00+02:00' }).clock).toEqual(
      {
        mode: 'controlled',
        start: new Date('2026-10-01T00:00:00Z'),
      },
    );
    expect(load({ FLEET_CLOCK: 'controlled' }).clock).toEqual({ mode: 'controlled', start: undefined });
  });

  it('refuses a controlled clock in production, and a start without one', () => {
    expect(problemsOf({ NODE_ENV: 'production', FLEET_CLOCK: 'controlled' }).message).toContain(
      'FLEET_CLOCK: controlled is for tests only and is refused when NODE_ENV=production',
    );
    const wrong = problemsOf({ FLEET_CLOCK: 'frozen', FLEET_CLOCK_START: 'yesterday' }).message;
    expect(wrong).toContain('FLEET_CLOCK: must be system or controlled (tests only) (got "frozen")');
    expect(wrong).toContain('FLEET_CLOCK_START: must be an ISO 8601 instant');
    expect(problemsOf({ FLEET_CLOCK_START: '2026-10-01T00:00:00Z' }).message).toContain(
      'FLEET_CLOCK_START: is only read with FLEET_CLOCK=controlled',
    );
  });

  it('refuses a service name that cannot name a schema', () => {
    expect(() =>
      loadFleetConfig({ service: 'Fleet Service', defaultPort: 1, env: { FLEET_API_KEYS: KEYS } }),
    ).toThrow(/service name/);
  });
});

describe('loadToolSettings', () => {
  it('reads NATS_URL, FLEET_NATS_NAMESPACE and INBOX_RETENTION_MS as the services do, and only those', () => {
    expect(loadToolSettings('dead-letters', { PORT: 'eighty' })).toEqual({
      nats: { servers: ['nats://127.0.0.1:4222'], security: {}, namespace: undefined },
      inboxRetentionMs: 86_400_000,
    });
    expect(
      loadToolSettings('dead-letters', {
        NATS_URL: 'nats://a:4222,nats://b:4222',
        FLEET_NATS_NAMESPACE: 't_abc',
        INBOX_RETENTION_MS: '7200000',
      }),
    ).toEqual({
      nats: { servers: ['nats://a:4222', 'nats://b:4222'], security: {}, namespace: 't_abc' },
      inboxRetentionMs: 7_200_000,
    });
  });

  it('names every wrong one', () => {
    const error = (() => {
      try {
        loadToolSettings('dead-letters', { NATS_URL: 'http://x', FLEET_NATS_NAMESPACE: 'A.B' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).settings).toEqual(['NATS_URL', 'FLEET_NATS_NAMESPACE']);
    expect((error as ConfigError).message).toMatch(/^invalid configuration of dead-letters:/);
  });
});
