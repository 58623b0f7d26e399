import { ConcurrencyError } from '../errors';

/**
 * Runs `attempt` again when it fails with a `ConcurrencyError` (another writer appended between
 * its read and its write), at most `maxRetries` more times; any other error, or the last conflict,
 * is thrown. Each attempt must load afresh (a new transaction), or it would conflict again.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, maxRetries: number): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || tries >= maxRetries) throw error;
    }
  }
}
