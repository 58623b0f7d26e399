import { jetstream, jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { connectNats, NatsUnavailableError } from '../src/connection/connect-nats';
import { deleteMessagingNamespace } from '../src/naming/delete-namespace';
import { MessagingNames } from '../src/naming/messaging-names';
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  ensureContextStream,
  ensureDeadLetterStream,
} from '../src/setup/context-stream';
import { ensureDurableConsumer } from '../src/setup/durable-consumer';
import { connectForTest, RecordingLogger } from './support/messaging-test-kit';

describe('JetStream set-up (real NATS)', () => {
  const names = MessagingNames.isolated();
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connectForTest('setup');
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await deleteMessagingNamespace(jsm, names);
    await nc.close();
  });

  it('fails fast with one line naming the URL and how to start a server', async () => {
    const started = Date.now();
    const failure = await connectNats({
      servers: 'nats://127.0.0.1:1',
      name: 'nobody',
      timeoutMs: 1000,
    }).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(failure).toBeInstanceOf(NatsUnavailableError);
    const message = (failure as Error).message;
    expect(message).toContain('nats://127.0.0.1:1');
    expect(message).toContain('nats-server -js');
    expect(message).not.toContain('\n');
  });

  it('creates a context stream once, then leaves it alone, then updates what changed', async () => {
    const first = await ensureContextStream(jsm, { context: 'procurement', names });
    expect(first.config).toMatchObject({
      name: names.streamOf('procurement'),
      subjects: [names.subjectsOf('procurement')],
      storage: StorageType.File,
      num_replicas: 1,
      duplicate_window: nanos(DEFAULT_DUPLICATE_WINDOW_MS),
      max_age: 0,
    });
    const again = await ensureContextStream(jsm, { context: 'procurement', names });
    expect(again.created).toBe(first.created);

    const changed = await ensureContextStream(jsm, {
      context: 'procurement',
      names,
      duplicateWindowMs: 600_000,
    });
    expect(changed.config.duplicate_window).toBe(nanos(600_000));

    // A consumer of the context may only create the stream, never reconfigure its owner's.
    const untouched = await ensureContextStream(jsm, {
      context: 'procurement',
      names,
      mode: 'create-if-missing',
    });
    expect(untouched.config.duplicate_window).toBe(nanos(600_000));
  });

  it("gives a new stream the retention settings, then leaves an existing stream's retention as it is and warns about the drift", async () => {
    const stream = names.streamOf('revenue');
    const week = 7 * 86_400_000;
    const month = 30 * 86_400_000;
    const logger = new RecordingLogger();
    const created = await ensureContextStream(jsm, {
      context: 'revenue',
      names,
      maxAgeMs: week,
      maxBytes: 64 * 1024 * 1024,
      logger,
    });
    expect(created.config).toMatchObject({ max_age: nanos(week), max_bytes: 64 * 1024 * 1024 });

    // An operator keeps a month on the server; the service starts again with its week.
    await jsm.streams.update(stream, { max_age: nanos(month), max_bytes: -1 });
    const again = await ensureContextStream(jsm, {
      context: 'revenue',
      names,
      maxAgeMs: week,
      maxBytes: 64 * 1024 * 1024,
      duplicateWindowMs: 600_000,
      logger,
    });
    expect(again.config).toMatchObject({ max_age: nanos(month), max_bytes: -1 });
    // What is not retention still follows the settings.
    expect(again.config.duplicate_window).toBe(nanos(600_000));
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: `stream ${stream}: keeps its max_age ${month} ms (the settings ask for ${week} ms) and max_bytes unlimited (the settings ask for 67108864 bytes), left as it is: change the stream or the settings so that they agree`,
      },
    ]);

    // Settings that agree with the stream: nothing to say. A consumer of the context: never.
    await ensureContextStream(jsm, {
      context: 'revenue',
      names,
      maxAgeMs: month,
      duplicateWindowMs: 600_000,
      logger,
    });
    await ensureContextStream(jsm, { context: 'revenue', names, mode: 'create-if-missing', logger });
    expect(logger.lines).toHaveLength(1);
    expect((await jsm.streams.info(stream)).config.max_age).toBe(nanos(month));
  });

  it('refuses a max age shorter than the duplicate window', async () => {
    await expect(
      ensureContextStream(jsm, { context: 'power', names, maxAgeMs: DEFAULT_DUPLICATE_WINDOW_MS - 1 }),
    ).rejects.toThrow(/shorter than its duplicate window/);
  });

  it('refuses a replica count NATS cannot have', async () => {
    await expect(ensureContextStream(jsm, { context: 'power', names, replicas: 0 })).rejects.toThrow(
      /replicas/,
    );
  });

  it('creates the dead-letter stream on fleet.dead-letter.>', async () => {
    const info = await ensureDeadLetterStream(jsm, { names });
    expect(info.config.name).toBe(names.deadLetterStream);
    expect(info.config.subjects).toEqual([names.deadLetterSubjects]);
  });

  it('keeps tests off the production streams', async () => {
    expect(names.streamOf('procurement')).not.toBe('PROCUREMENT');
    await expect(deleteMessagingNamespace(jsm, MessagingNames.production)).rejects.toThrow(/refusing/);
  });

  it('makes a durable pull consumer with finite deliveries, ack wait, backoff, and updates it in place', async () => {
    await ensureContextStream(jsm, { context: 'inventory', names });
    const stream = names.streamOf('inventory');
    const spec = {
      stream,
      durable: 'test-RigRegistered',
      filterSubject: names.toWire('fleet.inventory.*.RigRegistered'),
      maxDeliver: 4,
      ackWaitMs: 10_000,
      maxAckPending: 100,
      backoffMs: [10_000, 20_000, 40_000],
    };
    const created = await ensureDurableConsumer(jsm, spec);
    expect(created.config).toMatchObject({
      durable_name: 'test-RigRegistered',
      ack_policy: 'explicit',
      filter_subject: spec.filterSubject,
      max_deliver: 4,
      ack_wait: nanos(10_000),
      max_ack_pending: 100,
      backoff: [nanos(10_000), nanos(20_000), nanos(40_000)],
    });
    expect(created.config.deliver_subject).toBeUndefined();

    const same = await ensureDurableConsumer(jsm, spec);
    expect(same.created).toBe(created.created);

    const updated = await ensureDurableConsumer(jsm, {
      ...spec,
      filterSubject: names.toWire('fleet.inventory.us-tx-01.RigRegistered'),
      maxDeliver: 6,
      backoffMs: undefined,
    });
    expect(updated.created).toBe(created.created);
    expect(updated.config.filter_subject).toBe(names.toWire('fleet.inventory.us-tx-01.RigRegistered'));
    expect(updated.config.max_deliver).toBe(6);
    expect(updated.config.ack_wait).toBe(nanos(10_000));
    expect(updated.config.backoff ?? []).toEqual([]);
  });

  it('refuses an infinite or inconsistent delivery limit', async () => {
    const stream = names.streamOf('inventory');
    const base = {
      stream,
      durable: 'test-bad',
      filterSubject: names.toWire('fleet.inventory.>'),
      ackWaitMs: 1000,
      maxAckPending: 10,
    };
    await expect(ensureDurableConsumer(jsm, { ...base, maxDeliver: -1 })).rejects.toThrow(/maxDeliver/);
    await expect(
      ensureDurableConsumer(jsm, { ...base, maxDeliver: 2, backoffMs: [1000, 2000] }),
    ).rejects.toThrow(/fewer steps/);
  });

  it('drops a duplicate publish (same Nats-Msg-Id) on the server', async () => {
    const js = jetstream(nc);
    const subject = names.subjectOf('procurement', 'us-tx-01', 'PurchaseOrderPlaced');
    const stream = names.streamOf('procurement');
    const before = (await jsm.streams.info(stream)).state.messages;
    const first = await js.publish(subject, 'one', { msgID: 'event-1' });
    const second = await js.publish(subject, 'one again', { msgID: 'event-1' });
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ ...first, duplicate: true });
    expect((await jsm.streams.info(stream)).state.messages).toBe(before + 1);
  });
});
