/**
 * Event store append throughput against a raw INSERT of the same rows with the same driver, in the
 * same run: one JSON line per driver and case. Target: ratio >= 0.5.
 *
 *   npx nx run event-sourcing:bench      (PostgreSQL at FLEET_TEST_DATABASE_URL, SQLite in a temp dir)
 *
 * Cases (10,000 events each, every event ~250 bytes of JSON like a RigRegistered):
 * - single-stream: one stream, 100 appends of 100 events, each its own transaction with an
 *   expected version; the baseline inserts the same 100 rows per transaction.
 * - 1000-streams: 1,000 new streams of 10 events in one append (one transaction); the baseline
 *   inserts the same rows in one transaction.
 * The baseline builds the same rows (uuid, JSON text) inside its timing, as any writer must.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createEventStore, type EventMetadata, type EventStore, type StreamAppend } from '../src';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase, type TestDriver } from '../src/testing';

interface BenchCase {
  readonly name: 'single-stream' | '1000-streams';
  readonly streams: number;
  readonly eventsPerStream: number;
  /** Events per transaction. */
  readonly eventsPerTransaction: number;
}

const CASES: readonly BenchCase[] = [
  { name: 'single-stream', streams: 1, eventsPerStream: 10_000, eventsPerTransaction: 100 },
  { name: '1000-streams', streams: 1000, eventsPerStream: 10, eventsPerTransaction: 10_000 },
];
const RUNS = 5;
const EVENT_TYPE = 'RigRegistered';

const METADATA: EventMetadata = {
  correlationId: '6f1c2b9e-7a55-4a0f-9d0e-3c1f2a4b5c6d',
  causationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  actor: 'service:inventory',
  facilityId: 'tx-01',
  occurredAt: '2026-11-27T10:00:00.000Z',
};

function eventData(stream: string, index: number) {
  return {
    rigId: `${stream}-${index}`,
    serialNumber: `AM8NP-${stream}-${String(index).padStart(6, '0')}`,
    model: 'asicminer-8-nano-pro',
    facilityId: 'tx-01',
    shipmentId: '9d2f3c4b-5a6e-4f7d-8c9b-0a1e2f3d4c5b',
    receivedAt: '2026-11-27T09:58:12.000Z',
  };
}

/** The transactions of one run: per transaction, the appends (stream, first version, count). */
function plan(benchCase: BenchCase, run: string): { streamId: string; from: number; count: number }[][] {
  const transactions: { streamId: string; from: number; count: number }[][] = [];
  if (benchCase.streams === 1) {
    for (let from = 0; from < benchCase.eventsPerStream; from += benchCase.eventsPerTransaction)
      transactions.push([{ streamId: `bench-${run}`, from, count: benchCase.eventsPerTransaction }]);
  } else {
    transactions.push(
      Array.from({ length: benchCase.streams }, (_, stream) => ({
        streamId: `bench-${run}-${stream}`,
        from: 0,
        count: benchCase.eventsPerStream,
      })),
    );
  }
  return transactions;
}

async function storeRun(store: EventStore, benchCase: BenchCase, run: string): Promise<number> {
  const transactions = plan(benchCase, run);
  const started = performance.now();
  for (const appends of transactions) {
    await store.appendToStreams(
      appends.map((append): StreamAppend => ({
        streamId: append.streamId,
        streamType: 'rig',
        expectedVersion: append.from,
        events: Array.from({ length: append.count }, (_, index) => ({
          type: EVENT_TYPE,
          data: eventData(append.streamId, append.from + index),
        })),
      })),
      METADATA,
    );
  }
  return performance.now() - started;
}

type Row = [string, string, number, string, string, number, string, string, string];

function rowsOf(appends: readonly { streamId: string; from: number; count: number }[]): Row[] {
  const { occurredAt, ...who } = METADATA;
  const rows: Row[] = [];
  for (const append of appends) {
    for (let index = 0; index < append.count; index++) {
      const version = append.from + index + 1;
      rows.push([
        append.streamId,
        'rig',
        version,
        randomUUID(),
        EVENT_TYPE,
        1,
        JSON.stringify(eventData(append.streamId, append.from + index)),
        JSON.stringify(who),
        occurredAt,
      ]);
    }
  }
  return rows;
}

const COLUMNS =
  'stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata, occurred_at';

/** better-sqlite3 directly: one prepared single-row INSERT, one transaction per batch. */
function sqliteBaseline(file: string): {
  run(benchCase: BenchCase, run: string): Promise<number>;
  close(): void;
} {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(`INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertAll = db.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(...row);
  });
  return {
    async run(benchCase, run) {
      const transactions = plan(benchCase, run);
      const started = performance.now();
      for (const appends of transactions) insertAll(rowsOf(appends));
      return performance.now() - started;
    },
    close: () => db.close(),
  };
}

/** pg directly: BEGIN, multi-row parameterised INSERTs of up to 1,000 rows, COMMIT. */
async function postgresBaseline(
  url: string,
): Promise<{ run(benchCase: BenchCase, run: string): Promise<number>; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async run(benchCase, run) {
      const transactions = plan(benchCase, run);
      const started = performance.now();
      for (const appends of transactions) {
        const rows = rowsOf(appends);
        await client.query('BEGIN');
        for (let start = 0; start < rows.length; start += 1000) {
          const chunk = rows.slice(start, start + 1000);
          const values = chunk.map(
            (_, row) =>
              `(${Array.from({ length: 9 }, (__, column) => `$${row * 9 + column + 1}`).join(', ')})`,
          );
          await client.query(`INSERT INTO events (${COLUMNS}) VALUES ${values.join(', ')}`, chunk.flat());
        }
        await client.query('COMMIT');
      }
      return performance.now() - started;
    },
    close: () => client.end(),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function benchDriver(driver: TestDriver): Promise<void> {
  const storeDb = await createTestDatabase(driver);
  // The baseline writes to its own database with the same schema (the same migrations).
  const baselineDb: TestDatabase = await createTestDatabase(driver);
  await baselineDb.dataSource.destroy();
  const baseline =
    driver === 'sqlite'
      ? sqliteBaseline(baselineDb.sqliteFile ?? '')
      : await postgresBaseline(baselineDb.url ?? '');
  try {
    const store = createEventStore(storeDb.dataSource, { schemaVersions: { [EVENT_TYPE]: 1 } });
    for (const benchCase of CASES) {
      const events = benchCase.streams * benchCase.eventsPerStream;
      await storeRun(store, benchCase, `warm-up-${benchCase.name}`);
      await baseline.run(benchCase, `warm-up-${benchCase.name}`);
      const storeTimes: number[] = [];
      const baselineTimes: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        storeTimes.push(await storeRun(store, benchCase, `${benchCase.name}-${run}`));
        baselineTimes.push(await baseline.run(benchCase, `${benchCase.name}-${run}`));
      }
      const eventsPerSecond = Math.round(events / (median(storeTimes) / 1000));
      const baselineEventsPerSecond = Math.round(events / (median(baselineTimes) / 1000));
      process.stdout.write(
        `${JSON.stringify({
          bench: 'event-store-append',
          driver,
          case: benchCase.name,
          events,
          eventsPerSecond,
          baselineEventsPerSecond,
          ratio: Number((eventsPerSecond / baselineEventsPerSecond).toFixed(2)),
        })}\n`,
      );
    }
  } finally {
    await baseline.close();
    await storeDb.dispose();
    await baselineDb.dispose();
  }
}

for (const driver of TEST_DRIVERS) await benchDriver(driver);
