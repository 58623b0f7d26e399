import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '@fleet/contracts';
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  deleteMessagingNamespace,
  encodeEnvelope,
  ensureContextStream,
  ensureDeadLetterStream,
  envelopeHeaders,
  MessagingNames,
  publishDeadLetter,
} from '@fleet/messaging';
import { runDeadLettersCommand } from '../src/dead-letters-command';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const DUPLICATE_WINDOW_MS = 1000;
const CONSUMER = 'inventory-ThingHappened';

/** What a run printed, and its exit code. */
interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

describe('npm run dead-letters (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let names: MessagingNames;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc.close();
  });

  beforeEach(async () => {
    names = MessagingNames.isolated('deadcli');
    await ensureContextStream(jsm, { context: 'procurement', names, duplicateWindowMs: DUPLICATE_WINDOW_MS });
    await ensureDeadLetterStream(jsm, { names });
  });

  afterEach(async () => {
    await deleteMessagingNamespace(jsm, names);
  });

  async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDeadLettersCommand(
      argv,
      { NATS_URL, FLEET_NATS_NAMESPACE: names.namespace, ...env },
      { out: (line) => out.push(line), err: (line) => err.push(line) },
    );
    return { code, out, err };
  }

  /** Publishes an event as the relay does, and dead-letters it as each consumer giving up does. */
  async function deadLetteredEvent(consumers: readonly string[] = [CONSUMER]): Promise<EventEnvelope> {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      type: 'ThingHappened',
      schemaVersion: 1,
      streamId: 'thing-1',
      streamVersion: 1,
      position: '1',
      occurredAt: new Date().toISOString(),
      facilityId: 'us-tx-01',
      actor: 'test:runner',
      correlationId: randomUUID(),
      causationId: null,
      data: { n: 1 },
    };
    const js = jetstream(nc);
    const stream = names.streamOf('procurement');
    await js.publish(names.subjectOf('procurement', 'us-tx-01', 'ThingHappened'), encodeEnvelope(envelope), {
      msgID: envelope.eventId,
      headers: envelopeHeaders(envelope),
    });
    const reader = await js.consumers.get(stream);
    const delivered = await reader.next({ expires: 5000 });
    if (!delivered) throw new Error('the published event was not delivered');
    for (const consumer of consumers)
      await publishDeadLetter(js, names, consumer, delivered, 'poison', 'no rig model for it');
    await reader.delete();
    return envelope;
  }

  it('explains its command line and refuses a wrong one or a wrong setting', async () => {
    expect(await run(['--help'])).toMatchObject({
      code: 0,
      out: [expect.stringMatching(/^usage: npm run dead-letters/)],
    });
    for (const [argv, why] of [
      [[], 'say list or replay'],
      [['purge'], 'unknown command "purge"'],
      [['replay'], 'replay takes either --seq <n> or --all'],
      [['replay', '--seq', '1', '--all'], 'replay takes either --seq <n> or --all'],
      [['replay', '--seq', 'one'], '--seq takes a dead letter\'s number, not "one"'],
      [['list', '--force'], '--all and --force go with replay'],
      [['list', '--colour'], "Unknown option '--colour'"],
    ] as const) {
      const outcome = await run([...argv]);
      expect({ argv, code: outcome.code }).toEqual({ argv, code: 2 });
      expect(outcome.err[0]).toContain(why);
      expect(outcome.err[1]).toMatch(/^usage:/);
    }
    const wrongSetting = await run(['list'], { NATS_URL: 'http://nats:4222' });
    expect(wrongSetting.code).toBe(2);
    expect(wrongSetting.err.join('\n')).toContain('NATS_URL: must be nats://');
  });

  it('lists the dead letters, replays one by its number to its original subject, and removes it', async () => {
    const envelope = await deadLetteredEvent();

    const listed = await run(['list', '--consumer', CONSUMER]);
    expect(listed.code).toBe(0);
    const sequence = Number(/^#(\d+) /.exec(listed.out[0])?.[1]);
    expect(listed.out[0]).toContain(`${CONSUMER}  poison after 1 deliveries`);
    expect(listed.out[1]).toContain(`id ${envelope.eventId}`);
    expect(listed.out[2]).toContain('no rig model for it');
    expect(listed.out.at(-1)).toBe('1 dead letter');
    expect((await run(['list', '--subject', 'fleet.inventory.>'])).out).toEqual(['0 dead letters']);

    const [json, ...more] = (await run(['list', '--json'])).out;
    expect(more).toEqual([]);
    expect(JSON.parse(json)).toMatchObject({
      sequence,
      consumer: CONSUMER,
      reason: 'poison',
      originalMsgId: envelope.eventId,
      headers: { 'Fleet-Event-Type': ['ThingHappened'] },
    });
    expect(JSON.parse(JSON.parse(json).body)).toEqual(envelope);

    // Past the stream's duplicate window, or the stream would drop the replay.
    await new Promise((resolve) => setTimeout(resolve, DUPLICATE_WINDOW_MS + 200));
    const replayed = await run(['replay', '--seq', String(sequence)]);
    expect(replayed.out).toEqual([
      expect.stringMatching(
        new RegExp(
          `^replayed #${sequence} to ${names.subjectOf('procurement', 'us-tx-01', 'ThingHappened')} `,
        ),
      ),
      'replayed 1, kept 0',
    ]);
    expect(replayed.code).toBe(0);
    const last = await jsm.streams.getMessage(names.streamOf('procurement'), {
      last_by_subj: names.subjectOf('procurement', 'us-tx-01', 'ThingHappened'),
    });
    expect(last?.header?.get('Nats-Msg-Id')).toBe(envelope.eventId);
    expect(last?.json<EventEnvelope>()).toEqual(envelope);
    expect(last?.seq).toBe(2);
    expect((await run(['list'])).out).toEqual(['0 dead letters']);
  });

  it('replays an event two consumers dead-lettered once, and removes both dead letters', async () => {
    const envelope = await deadLetteredEvent([CONSUMER, 'power-ThingHappened']);
    await new Promise((resolve) => setTimeout(resolve, DUPLICATE_WINDOW_MS + 200));
    const replayed = await run(['replay', '--all']);
    expect(replayed.out).toEqual([
      expect.stringMatching(/^replayed #\d+ to /),
      expect.stringMatching(
        /^replayed #\d+ with #\d+ \(the same event, dead-lettered by power-ThingHappened\)$/,
      ),
      'replayed 2, kept 0',
    ]);
    expect(replayed.code).toBe(0);
    const stream = await jsm.streams.info(names.streamOf('procurement'));
    // The original and one replay: not one replay per dead letter.
    expect(stream.state.messages).toBe(2);
    const last = await jsm.streams.getMessage(names.streamOf('procurement'), { seq: 2 });
    expect(last?.header?.get('Nats-Msg-Id')).toBe(envelope.eventId);
    expect((await run(['list'])).out).toEqual(['0 dead letters']);
  });

  it('exits 1 when a dead letter is kept, is not there, or the namespace has none', async () => {
    // The default window: the replay below certainly falls within it.
    await ensureContextStream(jsm, {
      context: 'procurement',
      names,
      duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS,
    });
    await deadLetteredEvent();
    const kept = await run(['replay', '--all']);
    expect(kept.code).toBe(1);
    expect(kept.out[0]).toMatch(/^kept #\d+: .* within its duplicate window/);
    expect(kept.out[1]).toBe('replayed 0, kept 1');

    expect(await run(['replay', '--seq', '999'])).toEqual({
      code: 1,
      out: [],
      err: ['dead-letters: no dead letter #999 matches'],
    });
    const elsewhere = await run(['list'], {
      FLEET_NATS_NAMESPACE: MessagingNames.isolated('nobody').namespace,
    });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err[0]).toMatch(
      /^dead-letters: there is no NOBODY_\w+_DEAD_LETTERS stream on this server/,
    );
  });
});
