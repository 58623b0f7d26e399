import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createEventStore,
  type EventMetadata,
  type EventStore,
  type MigrationClass,
  type RecordedEvent,
} from '@fleet/event-sourcing';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { connectNats } from '../../src/connection/connect-nats';
import type { MessagingLogger } from '../../src/metrics/messaging-logger';
import { NO_MESSAGING_METRICS, type MessagingMetrics } from '../../src/metrics/messaging-metrics';
import { messagingMigrations } from '../../src/migrations/messaging.migrations';

export const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

export const TEST_EVENT_TYPES = { ThingHappened: 1, ThingGrew: 1 } as const;

export function connectForTest(name: string, servers = NATS_URL): Promise<NatsConnection> {
  return connectNats({ servers, name: `messaging-test-${name}` });
}

/** A test database with the messaging tables (and `migrations`), and the event store on it. */
export async function messagingTestStore(
  driver: TestDriver,
  migrations: readonly MigrationClass[] = [],
): Promise<{ database: TestDatabase; store: EventStore }> {
  const database = await createTestDatabase(driver, { migrations: [...messagingMigrations, ...migrations] });
  return { database, store: createEventStore(database.dataSource, { schemaVersions: TEST_EVENT_TYPES }) };
}

export function metadata(facilityId = 'us-tx-01', overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    correlationId: randomUUID(),
    causationId: null,
    actor: 'test:runner',
    facilityId,
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

/**
 * Appends `count` events, one stream each so writers never conflict, in transactions of up to 50,
 * and returns them in commit order.
 */
export async function appendThings(
  store: EventStore,
  count: number,
  options: { facilityId?: string; from?: number; data?: (n: number) => unknown } = {},
): Promise<RecordedEvent[]> {
  const from = options.from ?? 0;
  const recorded: RecordedEvent[] = [];
  for (let chunk = from; chunk < from + count; chunk += 50) {
    const appends = [];
    for (let n = chunk; n < Math.min(chunk + 50, from + count); n++)
      appends.push({
        streamId: `thing-${randomUUID()}`,
        streamType: 'thing',
        expectedVersion: 'no_stream' as const,
        events: [{ type: 'ThingHappened', data: options.data ? options.data(n) : { n } }],
      });
    const results = await store.appendToStreams(appends, metadata(options.facilityId));
    for (const result of results) recorded.push(...result.events);
  }
  return recorded;
}

export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
  json<T>(): T;
}

/** Every message in a stream, in stream order. */
export async function streamMessages(nc: NatsConnection, stream: string): Promise<StoredMessage[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const result: StoredMessage[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (!message) continue;
    result.push({
      seq: message.seq,
      subject: message.subject,
      headers: message.header,
      data: message.data,
      json: <T>() => message.json<T>(),
    });
  }
  return result;
}

export async function streamMessageCount(jsm: JetStreamManager, stream: string): Promise<number> {
  return (await jsm.streams.info(stream)).state.messages;
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Publishes raw bytes to a subject through JetStream, as a foreign or broken producer would. */
export async function publishRaw(
  nc: NatsConnection,
  subject: string,
  body: string,
  msgID = randomUUID(),
): Promise<void> {
  await jetstream(nc).publish(subject, new TextEncoder().encode(body), { msgID });
}

/** Collects log lines instead of printing them, so a test can assert on them. */
export class RecordingLogger implements MessagingLogger {
  readonly lines: { level: 'log' | 'warn' | 'error'; message: string }[] = [];
  log(message: unknown): void {
    this.lines.push({ level: 'log', message: String(message) });
  }
  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  text(level?: 'log' | 'warn' | 'error'): string {
    return this.lines
      .filter((line) => !level || line.level === level)
      .map((line) => line.message)
      .join('\n');
  }
}

/** Counts what the messaging layer reports. */
export class RecordingMetrics implements MessagingMetrics {
  published = 0;
  /** Events per relay batch, in order. */
  publishedBatches: number[] = [];
  relayLags: number[] = [];
  consumerLags: number[] = [];
  stalled: boolean[] = [];
  outcomes: Record<string, number> = {};
  deadLetters: string[] = [];
  eventsPublished(_stream: string, count: number): void {
    this.published += count;
    this.publishedBatches.push(count);
  }
  relayLag(_stream: string, events: number): void {
    this.relayLags.push(events);
  }
  consumerLag(_consumer: string, pending: number): void {
    this.consumerLags.push(pending);
  }
  consumerStalled(_consumer: string, stalled: boolean): void {
    this.stalled.push(stalled);
  }
  messageProcessed(_consumer: string, outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }
  deadLettered(_consumer: string, reason: string): void {
    this.deadLetters.push(reason);
  }
}

export const SILENT_METRICS = NO_MESSAGING_METRICS;

/**
 * A handler's effects in the tests: one row per call, no unique key, so a handler that ran twice
 * for one event shows up as two rows instead of being hidden by a constraint.
 */
export class TestEffects1793000000100 implements MigrationInterface {
  readonly name = 'TestEffects1793000000100';
  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(
      postgres
        ? `CREATE TABLE effects (id bigserial PRIMARY KEY, consumer text NOT NULL, event_id text NOT NULL, note text)`
        : `CREATE TABLE effects (id INTEGER PRIMARY KEY AUTOINCREMENT, consumer TEXT NOT NULL, event_id TEXT NOT NULL, note TEXT)`,
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE effects`);
  }
}

export function insertEffectSql(dialect: EventStore['dialect']): string {
  return dialect === 'postgres'
    ? `INSERT INTO effects (consumer, event_id, note) VALUES ($1, $2, $3)`
    : `INSERT INTO effects (consumer, event_id, note) VALUES (?, ?, ?)`;
}

export async function effectCounts(
  store: EventStore,
): Promise<{ total: number; distinct: number; byEvent: Map<string, number> }> {
  return store.transaction(async (session) => {
    const rows = (await session.manager.query(`SELECT event_id FROM effects`)) as { event_id: string }[];
    const byEvent = new Map<string, number>();
    for (const row of rows) byEvent.set(row.event_id, (byEvent.get(row.event_id) ?? 0) + 1);
    return { total: rows.length, distinct: byEvent.size, byEvent };
  });
}
