import { setTimeout as delay } from 'node:timers/promises';
import type { EventStore } from '../event-store';

/**
 * Waits until readAll can return every committed event of `store`. On PostgreSQL the feed holds
 * back events while any older transaction is open anywhere in the cluster (another test process,
 * say), so a test that reads the feed right after writing waits for this first.
 */
export async function feedCaughtUp(
  store: Pick<EventStore, 'countHeldBack'>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await store.countHeldBack()) > 0) {
    if (Date.now() > deadline) throw new Error(`the feed still held events back after ${timeoutMs} ms`);
    await delay(10);
  }
}
