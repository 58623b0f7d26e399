/**
 * Small appends on PostgreSQL, the shape of an HTTP command: the event store against the cheapest
 * raw statement that writes the same rows with the same driver, in the same run. One JSON line per
 * case. Target: ratio >= 0.8.
 *
 *   node --import ./libs/event-sourcing/bench/register.mjs libs/event-sourcing/bench/small-appends.bench.ts
 *
 * Cases:
 * - one-event-sequential: 2,000 appends of one event, one after the other, each to its own stream
 *   with an expected version; the baseline is a single-row INSERT (autocommit) per event.
 * - one-event-10-writers: the same with 10 concurrent writers (each appends to its own streams);
 *   the baseline runs 10 concurrent single-row INSERTs through a pool of the same size.
 * - 100-event-appends: 100 appends of 100 events to one stream; the baseline inserts each 100
 *   rows with one `INSERT … SELECT FROM unnest(…)` (autocommit).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createEventStore, type EventMetadata, type EventStore } from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const EVENT_TYPE = 'RigRegistered';
const RUNS = 5;
const METADATA: EventMetadata = {
  correlationId: '6f1c2b9e-7a55-4a0f-9d0e-3c1f2a4b5c6d',
  causationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  actor: 'service:inventory',
  facilityId: 'tx-01',
  occurredAt: '2026-11-27T10:00:00.000Z',
};
const { occurredAt, ...WHO } = METADATA;

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

interface Writer {
  /** Appends `count` events at `version` + 1… to `stream`. */
  append(stream: string, version: number, count: number): Promise<void>;
}

interface BenchCase {
  readonly name: string;
  readonly writers: number;
  readonly appendsPerWriter: number;
  readonly eventsPerAppend: number;
  /** One stream per append (a new aggregate each time) or one stream per writer. */
  readonly streamPerAppend: boolean;
}

const CASES: readonly BenchCase[] = [
  {
    name: 'one-event-sequential',
    writers: 1,
    appendsPerWriter: 2000,
    eventsPerAppend: 1,
    streamPerAppend: true,
  },
  {
    name: 'one-event-10-writers',
    writers: 10,
    appendsPerWriter: 200,
    eventsPerAppend: 1,
    streamPerAppend: true,
  },
  {
    name: '100-event-appends',
    writers: 1,
    appendsPerWriter: 100,
    eventsPerAppend: 100,
    streamPerAppend: false,
  },
];

function storeWriter(store: EventStore): Writer {
  return {
    async append(stream, version, count) {
      await store.appendToStream(
        stream,
        'rig',
        Array.from({ length: count }, (_, index) => ({
          type: EVENT_TYPE,
          data: eventData(stream, version + index),
        })),
        { expectedVersion: version, metadata: METADATA },
      );
    },
  };
}

const COLUMNS =
  'stream_id, stream_type, stream_version, event_id, type, schema_version, data, data_bytes, metadata, occurred_at';

function rawWriter(pool: pg.Pool): Writer {
  const who = JSON.stringify(WHO);
  return {
    async append(stream, version, count) {
      if (count === 1) {
        const data = JSON.stringify(eventData(stream, version));
        await pool.query(
          `INSERT INTO events (${COLUMNS}) VALUES ($1, 'rig', $2, $3, $4, 1, $5, $6, $7, $8)`,
          [stream, version + 1, randomUUID(), EVENT_TYPE, data, Buffer.byteLength(data), who, occurredAt],
        );
        return;
      }
      const versions: number[] = [];
      const ids: string[] = [];
      const data: string[] = [];
      const bytes: number[] = [];
      for (let index = 0; index < count; index++) {
        const json = JSON.stringify(eventData(stream, version + index));
        versions.push(version + index + 1);
        ids.push(randomUUID());
        data.push(json);
        bytes.push(Buffer.byteLength(json));
      }
      await pool.query(
        `INSERT INTO events (${COLUMNS})
         SELECT $1, 'rig', v, id, $5, 1, d, b, $6, $7
         FROM unnest($2::int[], $3::uuid[], $4::jsonb[], $8::int[]) AS u(v, id, d, b)`,
        [stream, versions, ids, data, EVENT_TYPE, who, occurredAt, bytes],
      );
    },
  };
}

async function runCase(writer: Writer, benchCase: BenchCase, run: string): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: benchCase.writers }, async (_, writerIndex) => {
      for (let append = 0; append < benchCase.appendsPerWriter; append++) {
        if (benchCase.streamPerAppend) {
          await writer.append(`bench-${run}-${writerIndex}-${append}`, 0, benchCase.eventsPerAppend);
        } else {
          const version = append * benchCase.eventsPerAppend;
          await writer.append(`bench-${run}-${writerIndex}`, version, benchCase.eventsPerAppend);
        }
      }
    }),
  );
  return performance.now() - started;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const storeDb: TestDatabase = await createTestDatabase('postgres');
const baselineDb: TestDatabase = await createTestDatabase('postgres');
await baselineDb.dataSource.destroy();
const pool = new pg.Pool({ connectionString: baselineDb.url, max: 10 });
try {
  const store = createEventStore(storeDb.dataSource, { schemaVersions: { [EVENT_TYPE]: 1 } });
  const writers = { store: storeWriter(store), raw: rawWriter(pool) };
  for (const benchCase of CASES) {
    const events = benchCase.writers * benchCase.appendsPerWriter * benchCase.eventsPerAppend;
    await runCase(writers.store, benchCase, `warm-up-${benchCase.name}`);
    await runCase(writers.raw, benchCase, `warm-up-${benchCase.name}`);
    const storeTimes: number[] = [];
    const rawTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      storeTimes.push(await runCase(writers.store, benchCase, `${benchCase.name}-${run}`));
      rawTimes.push(await runCase(writers.raw, benchCase, `${benchCase.name}-${run}`));
    }
    const appends = benchCase.writers * benchCase.appendsPerWriter;
    const appendsPerSecond = Math.round(appends / (median(storeTimes) / 1000));
    const baselineAppendsPerSecond = Math.round(appends / (median(rawTimes) / 1000));
    process.stdout.write(
      `${JSON.stringify({
        bench: 'event-store-small-appends',
        driver: 'postgres',
        case: benchCase.name,
        events,
        appendsPerSecond,
        baselineAppendsPerSecond,
        ratio: Number((appendsPerSecond / baselineAppendsPerSecond).toFixed(2)),
      })}\n`,
    );
  }
} finally {
  await pool.end();
  await storeDb.dispose();
  await baselineDb.dispose();
}
