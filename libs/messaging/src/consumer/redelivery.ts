/** Delays before the 2nd, 3rd, … attempt after a handler failure; the last one repeats. */
export const DEFAULT_RETRY_BACKOFF_MS: readonly number[] = [1000, 5000, 15_000, 60_000, 120_000, 300_000];

/** Handler attempts before a message is dead-lettered: with the default backoff, about 15 minutes. */
export const DEFAULT_MAX_DELIVER = 8;

/** The nak delay after the `deliveryCount`-th attempt failed. */
export function retryDelayMs(backoffMs: readonly number[], deliveryCount: number): number {
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(Math.max(deliveryCount, 1), backoffMs.length) - 1];
}
