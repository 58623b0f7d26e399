import { ConfigError } from '@fleet/service-kit';

export const LIVE_SETTINGS = Symbol('LIVE_SETTINGS');

/** `GET /reports/live`: how many streams one instance keeps open, how often it looks for changes. */
export interface LiveSettings {
  /** `REPORTING_LIVE_MAX_STREAMS`: past it a new stream is answered 503. */
  readonly maxStreams: number;
  /** `REPORTING_LIVE_POLL_MS`: how often the consumers' committed checkpoints are read. */
  readonly pollMs: number;
  /** `REPORTING_LIVE_HEARTBEAT_MS`: a comment line this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
}

const SETTINGS = {
  maxStreams: { name: 'REPORTING_LIVE_MAX_STREAMS', default: 100, min: 1, max: 100_000 },
  pollMs: { name: 'REPORTING_LIVE_POLL_MS', default: 1000, min: 100, max: 60_000 },
  heartbeatMs: { name: 'REPORTING_LIVE_HEARTBEAT_MS', default: 15_000, min: 1000, max: 600_000 },
} as const;

/** Reads the live stream settings; every wrong one is named in one `ConfigError`. */
export function liveSettingsOf(env: Readonly<Record<string, string | undefined>>): LiveSettings {
  const problems: { setting: string; message: string }[] = [];
  const read = (setting: (typeof SETTINGS)[keyof typeof SETTINGS]): number => {
    const raw = env[setting.name]?.trim();
    if (!raw) return setting.default;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < setting.min || value > setting.max) {
      problems.push({
        setting: setting.name,
        message: `expected a whole number from ${setting.min} to ${setting.max}, not "${raw}"`,
      });
    }
    return value;
  };
  const settings: LiveSettings = {
    maxStreams: read(SETTINGS.maxStreams),
    pollMs: read(SETTINGS.pollMs),
    heartbeatMs: read(SETTINGS.heartbeatMs),
  };
  if (problems.length > 0) throw new ConfigError('reporting', problems);
  return settings;
}
