import { resolve } from 'node:path';
import { z } from 'zod';
import { apiKeyOf, parseApiKeys, type ApiKey } from '../auth/api-key';
import { ConfigError } from './config.error';
import { loadOrCreateLocalApiKeys, type LocalApiKeys } from './local-api-keys';

/** Every environment variable the kit reads. */
export const FLEET_SETTINGS = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'NATS_URL',
  'NATS_STREAM_REPLICAS',
  'NATS_ACK_WAIT_MS',
  'RELAY_REPUBLISH_MARGIN_MS',
  'FLEET_NATS_NAMESPACE',
  'DATABASE_URL',
  'DATA_DIR',
  'FLEET_API_KEYS',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'SHUTDOWN_TIMEOUT_MS',
  'IDEMPOTENCY_TTL_SECONDS',
] as const;
export type FleetSetting = (typeof FLEET_SETTINGS)[number];
/** Settings as they come from the environment (or a test's overrides). */
export type FleetEnv = Partial<Record<FleetSetting, string | undefined>>;

/** Values that would leak a secret if echoed in an error message. */
const SECRET_SETTINGS: ReadonlySet<FleetSetting> = new Set(['FLEET_API_KEYS', 'DATABASE_URL']);

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
    readonly servers: readonly string[];
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
  };
  readonly database:
    | { readonly driver: 'postgres'; readonly url: string; readonly schema: string }
    | { readonly driver: 'sqlite'; readonly sqliteFile: string };
  readonly dataDir: string;
  readonly auth: { readonly keys: readonly ApiKey[]; readonly source: 'environment' | 'local-file' };
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  readonly idempotencyTtlMs: number;
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
    RELAY_REPUBLISH_MARGIN_MS: wholeNumber(0, 24 * 3600_000).optional(),
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
    DATA_DIR: z.string().trim().min(1).default('./data'),
    FLEET_API_KEYS: z.string().optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    BODY_LIMIT_BYTES: wholeNumber(1024, 1024 * MIB).default(16 * MIB),
    SHUTDOWN_TIMEOUT_MS: wholeNumber(0, 10 * 60_000).default(15_000),
    IDEMPOTENCY_TTL_SECONDS: wholeNumber(60, 30 * 24 * 3600).default(24 * 3600),
  });
}

/**
 * Reads and validates the kit's settings. Empty variables count as unset. A wrong or missing
 * setting throws a `ConfigError` naming every one of them.
 */
export function loadFleetConfig({ service, defaultPort, env }: FleetConfigOptions): LoadedFleetConfig {
  if (!SERVICE_NAME.test(service))
    throw new Error(`service name "${service}" must match ${SERVICE_NAME} (it names a schema and a file)`);
  const present = Object.fromEntries(
    FLEET_SETTINGS.flatMap((setting) => {
      const value = env[setting];
      return value === undefined || value.trim() === '' ? [] : [[setting, value]];
    }),
  );
  const parsed = environmentSchema(defaultPort).safeParse(present);
  const problems: { setting: FleetSetting; message: string }[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const setting = String(issue.path[0]) as FleetSetting;
        const value = present[setting];
        const shown = value !== undefined && !SECRET_SETTINGS.has(setting) ? ` (got "${value}")` : '';
        return { setting, message: `${issue.message}${shown}` };
      });
  // Checked whatever else is wrong, so that one start-up attempt reports every problem.
  const apiKeys =
    present['FLEET_API_KEYS'] === undefined ? undefined : parseApiKeys(present['FLEET_API_KEYS']);
  if (apiKeys && !apiKeys.ok) problems.push({ setting: 'FLEET_API_KEYS', message: apiKeys.message });
  if (!apiKeys && present['NODE_ENV'] === 'production')
    problems.push({
      setting: 'FLEET_API_KEYS',
      message: 'is required in production (comma-separated role:key pairs, e.g. admin:<key>,reports:<key>)',
    });
  if (!parsed.success || problems.length > 0) {
    const order = (setting: FleetSetting) => FLEET_SETTINGS.indexOf(setting);
    throw new ConfigError(
      service,
      problems.sort((a, b) => order(a.setting) - order(b.setting)),
    );
  }
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
      streamReplicas: settings.NATS_STREAM_REPLICAS,
      namespace: settings.FLEET_NATS_NAMESPACE,
      ackWaitMs: settings.NATS_ACK_WAIT_MS,
      // Replicated streams have the message on a quorum when they ack; a single node only has it
      // in memory until its next sync, so re-publish the last two minutes (harmless: de-dup, inboxes).
      relayRepublishMarginMs:
        settings.RELAY_REPUBLISH_MARGIN_MS ?? (settings.NATS_STREAM_REPLICAS > 1 ? 0 : 120_000),
    },
    database: settings.DATABASE_URL
      ? { driver: 'postgres', url: settings.DATABASE_URL, schema: service }
      : { driver: 'sqlite', sqliteFile: resolve(dataDir, `${service}.sqlite`) },
    dataDir,
    auth,
    logLevel: settings.LOG_LEVEL,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
    idempotencyTtlMs: settings.IDEMPOTENCY_TTL_SECONDS * 1000,
  };
  return localApiKeys ? { config, localApiKeys } : { config };
}
