/**
 * Relay cost per event against same-run baselines on the same server and messages (no database,
 * messages encoded beforehand): nats.js's `jetstream(nc).publish` awaiting each publish, the same
 * with the relay's window of in-flight publishes, and the relay's own `JetStreamPublisher` with its
 * window (the floor: what publishing alone costs the relay). The relay's figure covers everything it
 * does per event: reading the feed, encoding, publishing, acks, checkpoints (on SQLite the database
 * work is in this process and counts; PostgreSQL and the NATS server work in their own processes).
 * CPU is this process's (user + system, every thread), per event: the machine is shared and noisy,
 * so wall rates alone say little. One JSON line per driver, with the load average at the time. Run:
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js --config libs/messaging/jest.config.cjs \
 *     --testMatch '<rootDir>/bench/*.bench.ts'
 * `RELAY_BENCH_EVENTS` (default 20,000) and `RELAY_BENCH_DRIVERS` (`sqlite,postgres`) narrow a run;
 * `RELAY_BENCH_CPU_PROFILE=<dir>` writes a CPU profile of each measured phase there (`node --cpu-prof`
 * would profile Jest and the set-up too), to open in Chrome's DevTools.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  jetstream,
  jetstreamManager,
  PubHeaders,
  type JetStreamManager,
  type PubAck,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createEventStore } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { encodeEnvelope, envelopeHeaders, envelopeOf } from '../src/envelope/envelope-codec';
import { messagingMigrations } from '../src/migrations/messaging.migrations';
import { deleteMessagingNamespace } from '../src/naming/delete-namespace';
import { MessagingNames } from '../src/naming/messaging-names';
import { JetStreamPublisher } from '../src/outbox/jetstream-publisher';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ensureContextStream } from '../src/setup/context-stream';
import { appendThings, connectForTest, TEST_EVENT_TYPES } from '../test/support/messaging-test-kit';

const EVENTS = Number(process.env['RELAY_BENCH_EVENTS'] ?? 20_000);
const DRIVERS = TEST_DRIVERS.filter((driver) =>
  (process.env['RELAY_BENCH_DRIVERS'] ?? TEST_DRIVERS.join(',')).split(',').includes(driver),
);
/** Publishes run once before measuring, so that the first driver measured does not pay the JIT's warm-up. */
const WARM_UP_EVENTS = 3000;
const WINDOW = 256;
const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };
const PROFILE_DIR = process.env['RELAY_BENCH_CPU_PROFILE'];

interface Measured {
  readonly perSecond: number;
  readonly cpuMicrosPerEvent: number;
}

/** Wall rate and this process's CPU per event for `work`, which handles `events` events. */
async function measure(phase: string, events: number, work: () => Promise<void>): Promise<Measured> {
  const profiler = PROFILE_DIR === undefined ? undefined : new Session();
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  if (profiler && PROFILE_DIR !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    await writeFile(join(PROFILE_DIR, `${phase}.cpuprofile`), JSON.stringify(profile));
  }
  return {
    perSecond: Math.round(events / seconds),
    cpuMicrosPerEvent: Number(((cpu.user + cpu.system) / events).toFixed(1)),
  };
}

/** The shape of a `RigInstalled`, the event a bulk install publishes by the thousand. */
function rigInstalled(n: number): unknown {
  return { rigId: randomUUID(), facilityId: 'us-tx-01', rack: `R-${Math.floor(n / 40)}`, slot: (n % 40) + 1 };
}

describe.each(DRIVERS)('relay throughput on %s', (driver) => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const namespaces: MessagingNames[] = [];

  async function freshSubject(): Promise<string> {
    const names = MessagingNames.isolated('bench');
    namespaces.push(names);
    await ensureContextStream(jsm, { context: 'procurement', names });
    return names.subjectOf('procurement', 'us-tx-01', 'ThingHappened');
  }

  beforeAll(async () => {
    nc = await connectForTest(`bench-${driver}`);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    for (const names of namespaces) await deleteMessagingNamespace(jsm, names);
    await nc.close();
  });

  it(`publishes ${EVENTS} events`, async () => {
    const database = await createTestDatabase(driver, { migrations: messagingMigrations });
    try {
      const store = createEventStore(database.dataSource, { schemaVersions: TEST_EVENT_TYPES });
      await appendThings(store, EVENTS, { data: rigInstalled });
      const events = await store.readAll({ limit: EVENTS });
      const messages = events.map((event) => {
        const envelope = envelopeOf(event);
        return { id: event.eventId, data: encodeEnvelope(envelope), headers: envelopeHeaders(envelope) };
      });
      const js = jetstream(nc);
      const publishWindowed = async (
        subject: string,
        batch: typeof messages,
        idPrefix = '',
      ): Promise<void> => {
        const inFlight: Promise<PubAck>[] = [];
        for (const message of batch) {
          inFlight.push(
            js.publish(subject, message.data, { msgID: idPrefix + message.id, headers: message.headers }),
          );
          if (inFlight.length >= WINDOW) await inFlight.shift();
        }
        await Promise.all(inFlight);
      };

      await publishWindowed(await freshSubject(), messages.slice(0, WARM_UP_EVENTS), 'warm-up-');

      const awaitEachSubject = await freshSubject();
      const awaitEach = await measure(`raw-await-each-${driver}`, EVENTS, async () => {
        for (const message of messages)
          await js.publish(awaitEachSubject, message.data, { msgID: message.id, headers: message.headers });
      });

      const windowedSubject = await freshSubject();
      const windowed = await measure(`raw-windowed-${driver}`, EVENTS, () =>
        publishWindowed(windowedSubject, messages),
      );

      // The relay's way: its publisher, the window refilled by halves, headers complete beforehand.
      const pipelinedMessages = events.map((event) => {
        const envelope = envelopeOf(event);
        const headers = envelopeHeaders(envelope);
        headers.append(PubHeaders.MsgIdHdr, event.eventId);
        return { data: encodeEnvelope(envelope), headers };
      });
      const pipelinedSubject = await freshSubject();
      const publisher = new JetStreamPublisher(nc, 5000);
      const pipelined = await measure(`raw-pipelined-${driver}`, EVENTS, async () => {
        const inFlight: Promise<PubAck>[] = [];
        for (const message of pipelinedMessages) {
          inFlight.push(publisher.publish(pipelinedSubject, message.data, message.headers));
          if (inFlight.length >= WINDOW) while (inFlight.length > WINDOW / 2) await inFlight.shift();
        }
        await Promise.all(inFlight);
      });
      publisher.close();

      const relayNames = MessagingNames.isolated('bench');
      namespaces.push(relayNames);
      await ensureContextStream(jsm, { context: 'procurement', names: relayNames });
      const relay = new OutboxRelay({
        store,
        connection: nc,
        context: 'procurement',
        names: relayNames,
        restartMarginMs: 0,
        maxInFlight: WINDOW,
        batchSize: 1000,
        logger: SILENT,
      });
      const relayed = await measure(`relay-${driver}`, EVENTS, async () => {
        relay.start();
        await relay.caughtUp(120_000);
      });
      await relay.stop();
      expect((await jsm.streams.info(relayNames.streamOf('procurement'))).state.messages).toBe(EVENTS);

      // A bare JSON line on stdout (console.log under Jest would add a stack trace).
      process.stdout.write(
        `${JSON.stringify({
          bench: 'relay-publish',
          driver,
          events: EVENTS,
          loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
          relayCpuMicrosPerEvent: relayed.cpuMicrosPerEvent,
          rawWindowedCpuMicrosPerEvent: windowed.cpuMicrosPerEvent,
          rawAwaitEachCpuMicrosPerEvent: awaitEach.cpuMicrosPerEvent,
          rawPipelinedCpuMicrosPerEvent: pipelined.cpuMicrosPerEvent,
          relayVsRawWindowedCpu: Number((relayed.cpuMicrosPerEvent / windowed.cpuMicrosPerEvent).toFixed(2)),
          relayVsRawPipelinedCpu: Number(
            (relayed.cpuMicrosPerEvent / pipelined.cpuMicrosPerEvent).toFixed(2),
          ),
          relayPerSecond: relayed.perSecond,
          rawWindowedPerSecond: windowed.perSecond,
          rawAwaitEachPerSecond: awaitEach.perSecond,
          rawPipelinedPerSecond: pipelined.perSecond,
          relayVsRawWindowedRate: Number((relayed.perSecond / windowed.perSecond).toFixed(2)),
        })}\n`,
      );
    } finally {
      await database.dispose();
    }
  }, 300_000);
});
