/** Delays before the 2nd, 3rd, … attempt after a handler failure; the last one repeats. */
export const DEFAULT_RETRY_BACKOFF_MS: readonly number[] = [1000, 5000, 15_000, 60_000, 120_000, 300_000];

/** Handler attempts before a message is dead-lettered: with the default backoff, about 15 minutes. */
export const DEFAULT_MAX_DELIVER = 8;

/** The nak delay after the `deliveryCount`-th attempt failed. */
export function retryDelayMs(backoffMs: readonly number[], deliveryCount: number): number {
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(Math.max(deliveryCount, 1), backoffMs.length) - 1];
}

/**
 * Deliveries the server allows beyond `maxDeliver`. A delivery past `maxDeliver` only ever ends in
 * a dead letter (or an ack, for one already handled), but the process can die or stop on it too,
 * and the server drops a message silently after its last delivery: a few spares make that a
 * matter of several successive crashes rather than one.
 */
export const SPARE_DELIVERIES = 3;

/** First wait, and cap, while the database (or NATS, for a dead letter) is unavailable. */
const OUTAGE_FIRST_DELAY_MS = 500;
const OUTAGE_MAX_DELAY_MS = 30_000;

/** The wait before the `failures + 1`-th try during an outage: doubling from 500 ms, capped at 30 s. */
export function outageDelayMs(failures: number): number {
  return Math.min(OUTAGE_MAX_DELAY_MS, OUTAGE_FIRST_DELAY_MS * 2 ** Math.min(Math.max(failures - 1, 0), 16));
}
