import { randomUUID } from 'node:crypto';
import { JetStreamApiError, jetstreamManager, PubHeaders, type JetStreamManager } from '@nats-io/jetstream';
import { headers, TimeoutError, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { connectForTest, NATS_URL } from '../../test/support/messaging-test-kit';
import { connectNats } from '../connection/connect-nats';
import { deleteMessagingNamespace } from '../naming/delete-namespace';
import { MessagingNames } from '../naming/messaging-names';
import { ensureContextStream } from '../setup/context-stream';
import { JetStreamPublisher } from './jetstream-publisher';

const body = new TextEncoder().encode('{}');

function withIds(msgId: string, expectedLastMsgId?: string): MsgHdrs {
  const result = headers();
  result.append(PubHeaders.MsgIdHdr, msgId);
  if (expectedLastMsgId) result.append(PubHeaders.ExpectedLastMsgIdHdr, expectedLastMsgId);
  return result;
}

describe('JetStreamPublisher (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let names: MessagingNames;
  let subject: string;
  const publishers: JetStreamPublisher[] = [];

  function publisher(timeoutMs = 5000, connection = nc): JetStreamPublisher {
    const created = new JetStreamPublisher(connection, timeoutMs);
    publishers.push(created);
    return created;
  }

  beforeAll(async () => {
    nc = await connectForTest('jetstream-publisher');
    jsm = await jetstreamManager(nc);
    names = MessagingNames.isolated('pub');
    await ensureContextStream(jsm, { context: 'procurement', names });
    subject = names.subjectOf('procurement', 'us-tx-01', 'ThingHappened');
  });

  afterEach(() => {
    for (const created of publishers.splice(0)) created.close();
  });

  afterAll(async () => {
    await deleteMessagingNamespace(jsm, names);
    await nc.close();
  });

  it('answers each of many publishes in flight with its own ack, and a repeated message id as a duplicate', async () => {
    const subjectPublisher = publisher();
    const before = (await jsm.streams.info(names.streamOf('procurement'))).state.last_seq;
    const ids = Array.from({ length: 600 }, () => randomUUID());
    const acks = await Promise.all(ids.map((id) => subjectPublisher.publish(subject, body, withIds(id))));

    expect(acks.map((ack) => ack.seq)).toEqual(ids.map((_, index) => before + index + 1));
    expect(acks.every((ack) => ack.stream === names.streamOf('procurement') && !ack.duplicate)).toBe(true);
    const repeat = await subjectPublisher.publish(subject, body, withIds(ids[10]));
    expect(repeat).toEqual({ stream: names.streamOf('procurement'), seq: before + 11, duplicate: true });
  });

  it("refuses a message whose expected last message id is not the stream's, with the server's API error", async () => {
    const subjectPublisher = publisher();
    const first = randomUUID();
    await subjectPublisher.publish(subject, body, withIds(first));

    const refused = subjectPublisher.publish(subject, body, withIds(randomUUID(), randomUUID()));
    await expect(refused).rejects.toThrow(JetStreamApiError);
    await expect(refused).rejects.toThrow(/wrong last msg id/i);
    await expect(
      subjectPublisher.publish(subject, body, withIds(randomUUID(), first)),
    ).resolves.toMatchObject({
      duplicate: false,
    });
  });

  it('fails a publish to a subject no stream stores instead of waiting for its timeout', async () => {
    const started = Date.now();
    await expect(publisher(60_000).publish(`fleet-test.${randomUUID()}`, body, withIds('x'))).rejects.toThrow(
      /no stream stores .*no responders/,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('times out a publish nobody answers, and fails the unanswered ones when closed', async () => {
    const silent = `fleet-test.${randomUUID()}`;
    const listener = nc.subscribe(silent);
    try {
      await nc.flush();
      await expect(publisher(300).publish(silent, body, withIds('a'))).rejects.toThrow(TimeoutError);

      const closing = publisher(60_000);
      const unanswered = closing.publish(silent, body, withIds('b'));
      closing.close();
      await expect(unanswered).rejects.toThrow(/closed before JetStream answered/);
    } finally {
      listener.unsubscribe();
    }
  });

  it("takes its replies under the connection's inbox prefix (each user may read its own replies only)", async () => {
    const responderConnection = await connectNats({ servers: NATS_URL, name: 'messaging-test-responder' });
    const withPrefix = await connectNats({
      servers: NATS_URL,
      name: 'messaging-test-inbox-prefix',
      security: { inboxPrefix: '_INBOX_relay_test' },
    });
    const answering = `fleet-test.${randomUUID()}`;
    const replies: string[] = [];
    const responder = responderConnection.subscribe(answering, {
      callback: (_error, msg) => {
        replies.push(msg.reply ?? '');
        msg.respond(new TextEncoder().encode('{"stream":"S","seq":7}'));
      },
    });
    try {
      await responderConnection.flush();
      await expect(publisher(5000, withPrefix).publish(answering, body, withIds('p'))).resolves.toEqual({
        stream: 'S',
        seq: 7,
        duplicate: false,
      });
      expect(replies).toEqual([expect.stringMatching(/^_INBOX_relay_test\./)]);
    } finally {
      responder.unsubscribe();
      for (const created of publishers.splice(0)) created.close();
      await withPrefix.close();
      await responderConnection.close();
    }
  });
});
