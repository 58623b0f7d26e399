import type { FleetConfig } from '../config/fleet-config';

/**
 * The largest body an ordinary route takes. Reading and parsing a JSON body costs many times its
 * size in memory (16 MiB of `[{},{},…]` is over half a gigabyte of objects), so only the routes
 * that need more (`@Route({ largeBody: true })`: a 12,000-unit receipt, a bulk install) take up to
 * `BODY_LIMIT_BYTES`.
 */
export const ORDINARY_BODY_LIMIT_BYTES = 1024 * 1024;

/** Marks a route handler that takes bodies up to `BODY_LIMIT_BYTES` (set by `@Route`). */
export const LARGE_BODY_METADATA = 'fleet:large-body';

export interface BodyLimits {
  /** Every route but the large ones: 1 MiB, or `BODY_LIMIT_BYTES` if that is smaller. */
  readonly ordinary: number;
  /** Routes declared `largeBody`: `BODY_LIMIT_BYTES`. */
  readonly large: number;
}

export function bodyLimitsOf(config: FleetConfig): BodyLimits {
  const large = config.http.bodyLimitBytes;
  return { ordinary: Math.min(ORDINARY_BODY_LIMIT_BYTES, large), large };
}
