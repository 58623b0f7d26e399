import { resolve } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  redactNatsUrls,
  type NatsSecurity,
  type StreamLimits,
} from '@fleet/messaging';
import { apiKeyOf, parseApiKeys, type ApiKey } from '../auth/api-key';
import type { ClockMode } from '../clock/business-clock';
import { OTEL_SETTINGS, tracingConfigOf, type TracingConfig } from '../tracing/tracing-settings';
import { ConfigError } from './config.error';
import { loadOrCreateLocalApiKeys, type LocalApiKeys } from './local-api-keys';
import { loadNatsSecurity, NATS_SECURITY_SETTINGS } from './nats-security-settings';

/** Every environment variable the kit reads. */
export const FLEET_SETTINGS = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'NATS_URL',
  ...NATS_SECURITY_SETTINGS,
  'NATS_STREAM_REPLICAS',
  'NATS_ACK_WAIT_MS',
  'NATS_STREAM_MAX_AGE_MS',
  'NATS_STREAM_MAX_BYTES',
  'RELAY_REPUBLISH_MARGIN_MS',
  'RELAY_BATCH_MAX_BYTES',
  'INBOX_RETENTION_MS',
  'FLEET_NATS_NAMESPACE',
  'DATABASE_URL',
  'DATABASE_STATEMENT_TIMEOUT_MS',
  'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
  'FEED_HELD_BACK_LIMIT_MS',
  'EVENTS_PAGE_MAX_BYTES',
  'DATA_DIR',
  'FLEET_API_KEYS',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'SHUTDOWN_TIMEOUT_MS',
  'IDEMPOTENCY_TTL_SECONDS',
  'FLEET_CLOCK',
  'FLEET_CLOCK_START',
  ...OTEL_SETTINGS,
] as const;
export type FleetSetting = (typeof FLEET_SETTINGS)[number];
/** Settings as they come from the environment (or a test's overrides). */
export type FleetEnv = Partial<Record<FleetSetting, string | undefined>>;

/** Values that would leak a secret if echoed in an error message. */
const SECRET_SETTINGS: ReadonlySet<FleetSetting> = new Set([
  'FLEET_API_KEYS',
  'DATABASE_URL',
  'NATS_TOKEN',
  'NATS_PASSWORD',
]);
/** Shown with their credentials redacted (`nats://***@host:4222`). */
const REDACTED_URL_SETTINGS: ReadonlySet<FleetSetting> = new Set(['NATS_URL']);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface FleetConfig {
  readonly service: string;
  /** `NODE_ENV === 'production'`: no generated keys, no defaults that only suit a laptop. */
  readonly production: boolean;
  readonly http: {
    readonly port: number;
    readonly host: string;
    /** The largest body of a `largeBody` route (`BODY_LIMIT_BYTES`); others take 1 MiB at most. */
    readonly bodyLimitBytes: number;
  };
  readonly nats: {
    /** As set: may carry credentials (`nats://user:pass@host`); print them with `redactNatsUrls`. */
    readonly servers: readonly string[];
    /** Credentials and TLS material, read from their files at start-up; prints as `***`. */
    readonly security: NatsSecurity;
    readonly streamReplicas: number;
    /** Prefixes stream and consumer names so that test runs never share them. */
    readonly namespace: string | undefined;
    /** How long a consumer's unacknowledged message waits before redelivery (e.g. after a crash). */
    readonly ackWaitMs: number;
    /**
     * After a restart the relay re-publishes this far behind its checkpoint: a JetStream ack on a
     * single node is not yet on disk. 0 where streams have replicas.
     */
    readonly relayRepublishMarginMs: number;
    /**
     * Retention of the stream the service creates for its context. An existing stream keeps its
     * own (an operator may have set it on the server); a difference is logged at start-up.
     */
    readonly streamLimits: StreamLimits;
  };
  readonly database:
    | {
        readonly driver: 'postgres';
        readonly url: string;
        readonly schema: string;
        /** A statement running longer is cancelled; 0: the server's setting. */
        readonly statementTimeoutMs: number;
        /** A session idle inside a transaction longer is ended; 0: the server's setting. */
        readonly idleInTransactionTimeoutMs: number;
      }
    | { readonly driver: 'sqlite'; readonly sqliteFile: string };
  /** The event feed: what one read may hold, and when a held-back feed makes the service unready. */
  readonly feed: {
    /** `GET /events` stops a page once its events' data reach this many bytes (at least one event). */
    readonly pageMaxBytes: number;
    /** The outbox relay stops a batch once its events' data reach this many bytes (at least one event). */
    readonly relayBatchMaxBytes: number;
    /** `/health/ready` fails once committed events have been held back (PostgreSQL) longer than this. */
    readonly heldBackLimitMs: number;
  };
  readonly dataDir: string;
  readonly auth: { readonly keys: readonly ApiKey[]; readonly source: 'environment' | 'local-file' };
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  readonly idempotencyTtlMs: number;
  /**
   * Inbox rows (a consumer's record of an event it handled) older than this are deleted. Longer
   * than any redelivery: the duplicate window plus the relay's re-publish rewind.
   */
  readonly inboxRetentionMs: number;
  /** OpenTelemetry tracing, when an `OTEL_*` setting asks for it; undefined: off. */
  readonly tracing: TracingConfig | undefined;
  /**
   * Business time: the system's, or (`FLEET_CLOCK=controlled`, tests only, refused in production)
   * one that `PUT /admin/clock` moves forward, starting at `start` (undefined: the system time).
   */
  readonly clock: { readonly mode: ClockMode; readonly start: Date | undefined };
}

export interface LoadedFleetConfig {
  readonly config: FleetConfig;
  /** Set when the keys came from `<DATA_DIR>/api-keys.json` (development only), to print them. */
  readonly localApiKeys?: LocalApiKeys;
}

export interface FleetConfigOptions {
  readonly service: string;
  readonly defaultPort: number;
  readonly env: FleetEnv;
}

const SERVICE_NAME = /^[a-z][a-z0-9_]{0,30}$/;
const MIB = 1024 * 1024;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

function wholeNumber(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

function urlList(protocols: readonly string[], example: string) {
  return z
    .string()
    .trim()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .refine(
      (urls) => urls.every((url) => URL.canParse(url) && protocols.includes(new URL(url).protocol)),
      `must be ${protocols.map((protocol) => `${protocol}//`).join(' or ')} URL(s), e.g. ${example}`,
    );
}

function environmentSchema(defaultPort: number) {
  return z.object({
    NODE_ENV: z.string().default('development'),
    PORT: wholeNumber(0, 65535).default(defaultPort),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    NATS_URL: urlList(['nats:', 'tls:', 'ws:', 'wss:'], 'nats://127.0.0.1:4222').default([
      'nats://127.0.0.1:4222',
    ]),
    NATS_STREAM_REPLICAS: wholeNumber(1, 5).default(1),
    NATS_ACK_WAIT_MS: wholeNumber(1000, 10 * 60_000).default(30_000),
    NATS_STREAM_MAX_AGE_MS: wholeNumber(0, 3650 * DAY_MS)
      .refine(
        (ms) => ms === 0 || ms >= DEFAULT_DUPLICATE_WINDOW_MS,
        `must be 0 (forever) or at least the duplicate window of ${DEFAULT_DUPLICATE_WINDOW_MS} ms`,
      )
      .default(0),
    NATS_STREAM_MAX_BYTES: wholeNumber(MIB, Number.MAX_SAFE_INTEGER).optional(),
    RELAY_REPUBLISH_MARGIN_MS: wholeNumber(0, 24 * 3600_000).optional(),
    RELAY_BATCH_MAX_BYTES: wholeNumber(1024, 1024 * MIB).default(8 * MIB),
    INBOX_RETENTION_MS: wholeNumber(HOUR_MS, 365 * DAY_MS).default(DAY_MS),
    FLEET_NATS_NAMESPACE: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{0,31}$/,
        'must be lower-case letters, digits and underscores, starting with a letter (at most 32)',
      )
      .optional(),
    DATABASE_URL: z
      .string()
      .trim()
      .refine(
        (url) => URL.canParse(url) && ['postgres:', 'postgresql:'].includes(new URL(url).protocol),
        'must be a postgres:// URL, e.g. postgres://fleet@127.0.0.1:5432/fleet (unset it for SQLite)',
      )
      .optional(),
    // Longer than any request's statement (a 12,000-unit receipt writes in a few seconds).
    DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber(0, 24 * 3600_000).default(30_000),
    // The services' transactions never wait on anything but their own statements between them.
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: wholeNumber(0, 24 * 3600_000).default(15_000),
    // Above both timeouts: a stuck session of the service itself is ended before readiness fails.
    FEED_HELD_BACK_LIMIT_MS: wholeNumber(1000, 24 * 3600_000).default(60_000),
    EVENTS_PAGE_MAX_BYTES: wholeNumber(1024, 1024 * MIB).default(4 * MIB),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    FLEET_API_KEYS: z.string().optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    BODY_LIMIT_BYTES: wholeNumber(1024, 1024 * MIB).default(16 * MIB),
    SHUTDOWN_TIMEOUT_MS: wholeNumber(0, 10 * 60_000).default(15_000),
    IDEMPOTENCY_TTL_SECONDS: wholeNumber(60, 30 * 24 * 3600).default(24 * 3600),
    FLEET_CLOCK: z
      .enum(['system', 'controlled'], { error: 'must be system or controlled (tests only)' })
      .default('system'),
    FLEET_CLOCK_START: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 instant, e.g. 2026-10-01T00:00:00Z' })
      .transform((text) => new Date(text))
      .optional(),
  });
}

type Settings = z.infer<ReturnType<typeof environmentSchema>>;
type Problem = { readonly setting: FleetSetting; readonly message: string };

/** The settings that are set: empty variables count as unset. */
function presentSettings(env: FleetEnv): Partial<Record<FleetSetting, string>> {
  return Object.fromEntries(
    FLEET_SETTINGS.flatMap((setting) => {
      const value = env[setting];
      return value === undefined || value.trim() === '' ? [] : [[setting, value]];
    }),
  );
}

/** One problem per zod issue, naming the setting and, unless it is secret, its value. */
function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  present: Partial<Record<FleetSetting, string>>,
): Problem[] {
  return issues.map((issue) => {
    const setting = String(issue.path[0]) as FleetSetting;
    const value = present[setting];
    const printable =
      value === undefined || SECRET_SETTINGS.has(setting)
        ? undefined
        : REDACTED_URL_SETTINGS.has(setting)
          ? redactNatsUrls(value)
          : value;
    const shown = printable === undefined ? '' : ` (got "${printable}")`;
    return { setting, message: `${issue.message}${shown}` };
  });
}

/** Every problem at once, in the order of `FLEET_SETTINGS`. */
function configErrorOf(name: string, problems: Problem[]): ConfigError {
  const order = (setting: FleetSetting) => FLEET_SETTINGS.indexOf(setting);
  return new ConfigError(
    name,
    problems.sort((a, b) => order(a.setting) - order(b.setting)),
  );
}

/**
 * Replicated streams have the message on a quorum when they ack; a single node only has it in
 * memory until its next sync, so re-publish the last two minutes (harmless: de-dup, inboxes).
 */
function relayRepublishMarginOf(settings: Settings): number {
  return settings.RELAY_REPUBLISH_MARGIN_MS ?? (settings.NATS_STREAM_REPLICAS > 1 ? 0 : 120_000);
}

/**
 * A controlled clock lets an admin move business time: months would close, days be billed, at an
 * API call. Never in production.
 */
function clockProblemsOf(settings: Settings): Problem[] {
  if (settings.FLEET_CLOCK === 'controlled' && settings.NODE_ENV === 'production')
    return [
      {
        setting: 'FLEET_CLOCK',
        message:
          'controlled is for tests only and is refused when NODE_ENV=production (unset FLEET_CLOCK: business time is the system time)',
      },
    ];
  if (settings.FLEET_CLOCK !== 'controlled' && settings.FLEET_CLOCK_START !== undefined)
    return [{ setting: 'FLEET_CLOCK_START', message: 'is only read with FLEET_CLOCK=controlled' }];
  return [];
}

/**
 * Reads and validates the kit's settings. Empty variables count as unset. A wrong or missing
 * setting throws a `ConfigError` naming every one of them.
 */
export function loadFleetConfig({ service, defaultPort, env }: FleetConfigOptions): LoadedFleetConfig {
  if (!SERVICE_NAME.test(service))
    throw new Error(`service name "${service}" must match ${SERVICE_NAME} (it names a schema and a file)`);
  const present = presentSettings(env);
  const parsed = environmentSchema(defaultPort).safeParse(present);
  const problems = parsed.success ? [] : problemsOf(parsed.error.issues, present);
  // Checked whatever else is wrong, so that one start-up attempt reports every problem.
  const apiKeys =
    present['FLEET_API_KEYS'] === undefined ? undefined : parseApiKeys(present['FLEET_API_KEYS']);
  if (apiKeys && !apiKeys.ok) problems.push({ setting: 'FLEET_API_KEYS', message: apiKeys.message });
  if (!apiKeys && present['NODE_ENV'] === 'production')
    problems.push({
      setting: 'FLEET_API_KEYS',
      message: 'is required in production (comma-separated role:key pairs, e.g. admin:<key>,reports:<key>)',
    });
  const { tracing, problems: tracingProblems } = tracingConfigOf(service, present);
  problems.push(...tracingProblems);
  const natsSecurity = loadNatsSecurity(present);
  if (!natsSecurity.ok) problems.push(...natsSecurity.problems);
  if (parsed.success) {
    const reachBackMs = DEFAULT_DUPLICATE_WINDOW_MS + 2 * relayRepublishMarginOf(parsed.data);
    if (parsed.data.INBOX_RETENTION_MS <= reachBackMs)
      problems.push({
        setting: 'INBOX_RETENTION_MS',
        message: `must be longer than the duplicate window plus twice the relay's re-publish margin, ${reachBackMs} ms: a repeat that old must still find its inbox row (got "${parsed.data.INBOX_RETENTION_MS}")`,
      });
  }
  if (parsed.success) problems.push(...clockProblemsOf(parsed.data));
  if (!parsed.success || !natsSecurity.ok || problems.length > 0) throw configErrorOf(service, problems);
  const settings = parsed.data;
  const production = settings.NODE_ENV === 'production';
  const dataDir = resolve(settings.DATA_DIR);

  let auth: FleetConfig['auth'];
  let localApiKeys: LocalApiKeys | undefined;
  if (apiKeys?.ok) {
    auth = { keys: apiKeys.keys, source: 'environment' };
  } else {
    localApiKeys = loadOrCreateLocalApiKeys(dataDir);
    auth = { keys: localApiKeys.keys.map(({ role, key }) => apiKeyOf(role, key)), source: 'local-file' };
  }

  const config: FleetConfig = {
    service,
    production,
    http: { port: settings.PORT, host: settings.HOST, bodyLimitBytes: settings.BODY_LIMIT_BYTES },
    nats: {
      servers: settings.NATS_URL,
      security: natsSecurity.security,
      streamReplicas: settings.NATS_STREAM_REPLICAS,
      namespace: settings.FLEET_NATS_NAMESPACE,
      ackWaitMs: settings.NATS_ACK_WAIT_MS,
      relayRepublishMarginMs: relayRepublishMarginOf(settings),
      streamLimits: {
        maxAgeMs: settings.NATS_STREAM_MAX_AGE_MS,
        ...(settings.NATS_STREAM_MAX_BYTES === undefined ? {} : { maxBytes: settings.NATS_STREAM_MAX_BYTES }),
      },
    },
    database: settings.DATABASE_URL
      ? {
          driver: 'postgres',
          url: settings.DATABASE_URL,
          schema: service,
          statementTimeoutMs: settings.DATABASE_STATEMENT_TIMEOUT_MS,
          idleInTransactionTimeoutMs: settings.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        }
      : { driver: 'sqlite', sqliteFile: resolve(dataDir, `${service}.sqlite`) },
    feed: {
      pageMaxBytes: settings.EVENTS_PAGE_MAX_BYTES,
      relayBatchMaxBytes: settings.RELAY_BATCH_MAX_BYTES,
      heldBackLimitMs: settings.FEED_HELD_BACK_LIMIT_MS,
    },
    dataDir,
    auth,
    logLevel: settings.LOG_LEVEL,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
    idempotencyTtlMs: settings.IDEMPOTENCY_TTL_SECONDS * 1000,
    inboxRetentionMs: settings.INBOX_RETENTION_MS,
    tracing,
    clock: { mode: settings.FLEET_CLOCK, start: settings.FLEET_CLOCK_START },
  };
  return localApiKeys ? { config, localApiKeys } : { config };
}

/** What an operator's tool (`npm run dead-letters`) shares with the services. */
export interface ToolSettings {
  readonly nats: {
    readonly servers: readonly string[];
    readonly security: NatsSecurity;
    readonly namespace: string | undefined;
  };
  readonly inboxRetentionMs: number;
}

/**
 * Reads `NATS_URL`, the NATS credential and TLS settings, `FLEET_NATS_NAMESPACE` and
 * `INBOX_RETENTION_MS` as the services read them (the same defaults and checks), so that a tool run
 * with a service's environment sees what it sees. Throws a `ConfigError` naming every wrong one.
 */
export function loadToolSettings(tool: string, env: FleetEnv): ToolSettings {
  const present = presentSettings(env);
  const parsed = environmentSchema(0)
    .pick({ NATS_URL: true, FLEET_NATS_NAMESPACE: true, INBOX_RETENTION_MS: true })
    .safeParse(present);
  const problems = parsed.success ? [] : problemsOf(parsed.error.issues, present);
  const natsSecurity = loadNatsSecurity(present);
  if (!natsSecurity.ok) problems.push(...natsSecurity.problems);
  if (!parsed.success || !natsSecurity.ok) throw configErrorOf(tool, problems);
  return {
    nats: {
      servers: parsed.data.NATS_URL,
      security: natsSecurity.security,
      namespace: parsed.data.FLEET_NATS_NAMESPACE,
    },
    inboxRetentionMs: parsed.data.INBOX_RETENTION_MS,
  };
}
