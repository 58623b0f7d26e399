import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  deleteMessagingNamespace,
  encodeEnvelope,
  ensureContextStream,
  envelopeHeaders,
  MessagingNames,
} from '@fleet/messaging';
import { SourceHistory, type HistoricEvent } from '../src/rebuild/source-history';
import { NATS_URL } from './reporting-app';
import { rigRegistered } from './report-events';

/** A rebuild's read of a stream on real JetStream: in order, to the end, and failing rather than stopping short. */
describe('reading a source stream for a rebuild', () => {
  let nats: NatsConnection;
  const names = MessagingNames.isolated('rsh');

  beforeAll(async () => {
    nats = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nats);
    await ensureContextStream(jsm, { context: 'inventory', names });
    const js = jetstream(nats);
    for (let rig = 1; rig <= 5; rig += 1) {
      const envelope = rigRegistered(rig);
      await js.publish(
        names.subjectOf('inventory', envelope.facilityId, envelope.type),
        encodeEnvelope(envelope),
        {
          msgID: envelope.eventId,
          headers: envelopeHeaders(envelope),
        },
      );
    }
    // A message that is not an event: the live consumer dead-letters it, a rebuild folds nothing of it.
    await js.publish(
      names.subjectOf('inventory', 'us-tx-01', 'RigRegistered'),
      new TextEncoder().encode('{oops'),
    );
  });
  afterAll(async () => {
    await deleteMessagingNamespace(await jetstreamManager(nats), names);
    await nats.close();
  });

  it('hands over every event of the stream in order, up to the last one when it was opened', async () => {
    const history = await SourceHistory.open('inventory', { nats, names, feeds: {} });
    const read: HistoricEvent[] = [];
    await history.read((historic) => read.push(historic));
    expect(history.lastSequence).toBe(6);
    expect(read.map((historic) => historic.streamSequence)).toEqual([1, 2, 3, 4, 5]);
    expect(read.map((historic) => historic.envelope.type)).toEqual(Array(5).fill('RigRegistered'));
  });

  it('reads a part of the stream', async () => {
    const history = await SourceHistory.open('inventory', { nats, names, feeds: {} });
    const sequences: number[] = [];
    await history.readStream(2, 4, (historic) => sequences.push(historic.streamSequence));
    expect(sequences).toEqual([2, 3, 4]);
  });

  it('fails with the error of a fold, and stops handing over events', async () => {
    const history = await SourceHistory.open('inventory', { nats, names, feeds: {} });
    const sequences: number[] = [];
    await expect(
      history.read((historic) => {
        sequences.push(historic.streamSequence);
        if (historic.streamSequence === 3) throw new Error('fold broke');
      }),
    ).rejects.toThrow('fold broke');
    expect(sequences).toEqual([1, 2, 3]);
  });

  it('fails rather than stop short when the stream holds less than asked (nothing comes for 5 s)', async () => {
    const history = await SourceHistory.open('inventory', { nats, names, feeds: {} });
    const sequences: number[] = [];
    await expect(
      history.readStream(4, 9, (historic) => sequences.push(historic.streamSequence)),
    ).rejects.toThrow(/stopped after sequence 6 of 9/);
    expect(sequences).toEqual([4, 5]);
  }, 30_000);
});
