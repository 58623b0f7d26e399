import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import { createInbox, Empty, type Msg, type NatsConnection } from '@nats-io/transport-node';

/** The NATS client's default reply prefix (`NATS_INBOX_PREFIX` unset). */
const DEFAULT_INBOX_PREFIX = '_INBOX';
/** A read that receives nothing this long has nothing more to receive. */
const DEFAULT_IDLE_MS = 5000;
/** The server's heartbeat while the consumer has nothing to send (what nats.js's ordered consumer asks). */
const HEARTBEAT_NANOS = 30_000 * 1_000_000;
/** The server removes a consumer nobody listens to after this long (a reader that died). */
const INACTIVE_THRESHOLD_NANOS = 5 * 60_000 * 1_000_000;

/** Receives a stream's messages one by one, in order; a throw ends the read with that error. */
export type StreamRangeHandler = (sequence: number, data: Uint8Array, subject: string) => void;

export interface StreamRange {
  readonly stream: string;
  /** First and last stream sequence to hand over (inclusive). */
  readonly first: number;
  readonly last: number;
  /** The connection's reply prefix (`NATS_INBOX_PREFIX`): the messages are pushed under it. */
  readonly inboxPrefix?: string;
  /** Default 5,000 ms. */
  readonly idleMs?: number;
}

/** How a read ended (`reading` until it does). */
type ReadOutcome =
  { readonly state: 'reading' | 'done' | 'stalled' } | { readonly state: 'failed'; readonly error: unknown };

/**
 * The stream and delivery sequences of a JetStream message from its ack subject, without splitting
 * it: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` (9 tokens) or, with a
 * domain and account hash, `$JS.ACK.<domain>.<hash>.<stream>.<consumer>.<delivered>.<sseq>.<dseq>...`.
 * Undefined: not a JetStream message (a flow control request, a heartbeat).
 */
export function ackSequencesOf(reply: string): { stream: number; delivery: number } | undefined {
  if (!reply.startsWith('$JS.ACK.')) return undefined;
  const dots: number[] = [];
  for (let at = reply.indexOf('.'); at !== -1; at = reply.indexOf('.', at + 1)) dots.push(at);
  // Stream and consumer names hold no dots, so the tokens count from the start.
  const sequenceToken = dots.length === 8 ? 5 : dots.length >= 10 ? 7 : -1;
  if (sequenceToken < 0) return undefined;
  const stream = Number(reply.slice(dots[sequenceToken - 1] + 1, dots[sequenceToken]));
  const delivery = Number(reply.slice(dots[sequenceToken] + 1, dots[sequenceToken + 1]));
  return Number.isSafeInteger(stream) && Number.isSafeInteger(delivery) ? { stream, delivery } : undefined;
}

/**
 * Hands a stream's messages from `first` through `last` to `onMessage`, in order, in the
 * connection's message callback: no queue, promise or timer per message, so the stream is read as
 * fast as it is handled and the server waits (flow control) while the process is busy. A lighter
 * ordered push consumer than nats.js's (which parses each message's whole ack subject and wraps it
 * twice, a sixth of a raw read's time): one ephemeral consumer without acks on a subscription of
 * our own, made before the consumer so that nothing is pushed to no one. A message missing in
 * between (a gap in the delivery sequence) or nothing for `idleMs` (messages removed by retention
 * meanwhile, NATS stopped delivering) fails the read rather than hand over part of the range.
 */
export async function readStreamRange(
  nats: NatsConnection,
  range: StreamRange,
  onMessage: StreamRangeHandler,
): Promise<void> {
  const { stream, first, last } = range;
  if (last < first) return;
  const idleMs = range.idleMs ?? DEFAULT_IDLE_MS;
  // Set in the callbacks below: typed wide so that the checks after `settled` are not narrowed away.
  let outcome = { state: 'reading' } as ReadOutcome;
  let seen = first - 1;
  let delivered = 0;
  let lastMessageAt = Date.now();
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const end = (final: ReadOutcome): void => {
    if (outcome.state !== 'reading') return;
    outcome = final;
    settle();
  };
  const onDelivery = (message: Msg): void => {
    if (outcome.state !== 'reading') return;
    lastMessageAt = Date.now();
    const sequences = ackSequencesOf(message.reply ?? '');
    if (!sequences) {
      // Flow control asks for a reply before the server sends more; a heartbeat of a stalled
      // consumer names a subject to publish to.
      if (message.reply) message.respond(Empty);
      else {
        const stalled = message.headers?.get('Nats-Consumer-Stalled');
        if (stalled) nats.publish(stalled, Empty);
      }
      return;
    }
    if (sequences.delivery !== delivered + 1)
      return end({
        state: 'failed',
        error: new Error(
          `reading ${stream}: message ${delivered + 1} of the read never came (delivery ${sequences.delivery} after ${delivered}, stream sequence ${sequences.stream} after ${seen})`,
        ),
      });
    delivered = sequences.delivery;
    if (sequences.stream > last) return end({ state: 'done' });
    seen = sequences.stream;
    try {
      onMessage(sequences.stream, message.data, message.subject);
    } catch (error) {
      return end({ state: 'failed', error });
    }
    if (sequences.stream >= last) end({ state: 'done' });
  };
  const deliverSubject = createInbox(range.inboxPrefix ?? DEFAULT_INBOX_PREFIX);
  const subscription = nats.subscribe(deliverSubject, {
    callback: (error, message) => (error ? end({ state: 'failed', error }) : onDelivery(message)),
  });
  void subscription.closed.then(
    () => end({ state: 'stalled' }),
    (error: unknown) => end({ state: 'failed', error }),
  );
  let consumer: string | undefined;
  const jsm = await jetstreamManager(nats);
  // One watchdog for the whole read rather than a timer reset on every message. A late tick means
  // the process was busy (a long synchronous write, a GC pause): messages may be waiting unread,
  // so the idle time counts from then.
  const tickMs = idleMs / 10;
  let lastTick = Date.now();
  const watchdog = setInterval(() => {
    const now = Date.now();
    if (now - lastTick > 2 * tickMs) lastMessageAt = now;
    lastTick = now;
    if (now - lastMessageAt >= idleMs) end({ state: 'stalled' });
  }, tickMs);
  try {
    await nats.flush();
    const info = await jsm.consumers.add(stream, {
      // The same configuration as nats.js's ordered consumer: the same API subjects, the same rights.
      name: `oc_${deliverSubject.slice(deliverSubject.lastIndexOf('.') + 1)}_1`,
      deliver_subject: deliverSubject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: first,
      ack_policy: AckPolicy.None,
      max_deliver: 1,
      flow_control: true,
      idle_heartbeat: HEARTBEAT_NANOS,
      inactive_threshold: INACTIVE_THRESHOLD_NANOS,
      num_replicas: 1,
      filter_subject: '>',
    });
    consumer = info.name;
    lastMessageAt = Date.now();
    await settled;
  } catch (error) {
    end({ state: 'failed', error });
  } finally {
    clearInterval(watchdog);
    subscription.unsubscribe();
    if (consumer) await jsm.consumers.delete(stream, consumer).catch(() => undefined);
  }
  if (outcome.state === 'done') return;
  if (outcome.state === 'failed') throw outcome.error;
  throw new Error(
    `reading ${stream} stopped after sequence ${seen} of ${last}: nothing more came for ${idleMs} ms (messages removed by retention meanwhile, or NATS stopped delivering them)`,
  );
}
