import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Driver } from '../src/support/fleet';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const adminDatabaseUrl = process.env.FLEET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Unit {
  readonly serialNumber: string;
  readonly model: string;
}

/**
 * The floor under the saga, measured in the same run: the same body through a bare node:http
 * server, the same 1,000-unit chunks through a raw JetStream publish and pull, and one row per
 * unit through a raw insert with the same driver. Fleet's end-to-end time is reported against it.
 */
export async function rawPipelineMs(driver: Driver, units: readonly Unit[]): Promise<number> {
  const started = performance.now();
  await bareHttpPost(units);
  await rawJetStreamRoundTrip(units);
  await rawInsert(driver, units);
  return performance.now() - started;
}

async function bareHttpPost(units: readonly Unit[]): Promise<void> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { units: unknown[] };
      response.end(JSON.stringify({ received: body.units.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await (
    await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify({ units }) })
  ).text();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function rawJetStreamRoundTrip(units: readonly Unit[]): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const name = `BENCH_${randomBytes(4).toString('hex')}`;
  await jsm.streams.add({ name, subjects: [`${name}.>`] });
  try {
    const js = jetstream(nc);
    const chunks: Unit[][] = [];
    for (let index = 0; index < units.length; index += 1000) chunks.push(units.slice(index, index + 1000));
    await Promise.all(
      chunks.map((chunk, index) => js.publish(`${name}.chunk`, JSON.stringify(chunk), { msgID: `${index}` })),
    );
    await jsm.consumers.add(name, { durable_name: 'bench', ack_policy: AckPolicy.Explicit });
    const consumer = await js.consumers.get(name, 'bench');
    let seen = 0;
    while (seen < chunks.length) {
      const batch = await consumer.fetch({ max_messages: chunks.length - seen, expires: 2000 });
      for await (const message of batch) {
        JSON.parse(message.string());
        message.ack();
        seen += 1;
      }
    }
  } finally {
    await jsm.streams.delete(name);
    await nc.close();
  }
}

async function rawInsert(driver: Driver, units: readonly Unit[]): Promise<void> {
  if (driver === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-bench-'));
    const db = new Database(path.join(dir, 'raw.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE rigs (id TEXT PRIMARY KEY, serial_number TEXT UNIQUE, model TEXT, data TEXT)');
    const insert = db.prepare('INSERT INTO rigs VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const unit of units)
        insert.run(unit.serialNumber, unit.serialNumber, unit.model, JSON.stringify(unit));
    })();
    db.close();
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const database = `fleet_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE rigs (id TEXT PRIMARY KEY, serial_number TEXT UNIQUE, model TEXT, data JSONB)',
    );
    await client.query('BEGIN');
    for (let index = 0; index < units.length; index += 1000) {
      const chunk = units.slice(index, index + 1000);
      const values = chunk.map(
        (_, row) => `($${row * 4 + 1}, $${row * 4 + 2}, $${row * 4 + 3}, $${row * 4 + 4})`,
      );
      await client.query(
        `INSERT INTO rigs VALUES ${values.join(', ')}`,
        chunk.flatMap((unit) => [unit.serialNumber, unit.serialNumber, unit.model, JSON.stringify(unit)]),
      );
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  }
}
