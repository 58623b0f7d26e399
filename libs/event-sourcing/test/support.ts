import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { EventMetadata, EventStore, RecordedEvent } from '../src';

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    correlationId: 'corr-1',
    causationId: null,
    actor: 'procurement:test-key',
    facilityId: 'tx-01',
    occurredAt: '2026-11-27T10:00:00.000Z',
    ...overrides,
  };
}

/** Stream ids unique to one test, so tests sharing a database never see each other's streams. */
export function uniquePrefix(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** Whether `promise` settles within `ms`: for asserting that something is (still) blocked. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Follows readAll from `after` until `count` events arrived. On PostgreSQL an event becomes visible
 * to readAll only once every older write transaction of the cluster has ended, so a reader polls
 * (and, starting from a head that lagged, may first meet other tests' events: `streamPrefix`).
 */
export async function readAllUntil(
  store: EventStore,
  after: bigint,
  count: number,
  options: { limit?: number; timeoutMs?: number; streamPrefix?: string } = {},
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let checkpoint = after;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (events.length < count) {
    if (Date.now() > deadline)
      throw new Error(`readAll delivered ${events.length} of ${count} events in time`);
    const page = await store.readAll({ after: checkpoint, limit: options.limit ?? 100 });
    if (page.length === 0) {
      await delay(5);
      continue;
    }
    const prefix = options.streamPrefix;
    events.push(...(prefix === undefined ? page : page.filter((event) => event.streamId.startsWith(prefix))));
    checkpoint = page[page.length - 1].position;
  }
  return events;
}
