import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { DeadLetterReason } from '../metrics/messaging-metrics';
import type { MessagingNames } from '../naming/messaging-names';

/** Headers a dead letter carries besides the original message's own. */
export const DeadLetterHeaders = {
  reason: 'Fleet-Dead-Letter-Reason',
  error: 'Fleet-Dead-Letter-Error',
  consumer: 'Fleet-Dead-Letter-Consumer',
  originalSubject: 'Fleet-Original-Subject',
  originalStream: 'Fleet-Original-Stream',
  originalSequence: 'Fleet-Original-Sequence',
  /** The original's `Nats-Msg-Id` (the event id, from the relay): a replay publishes it again. */
  originalMsgId: 'Fleet-Original-Msg-Id',
  deliveryCount: 'Fleet-Delivery-Count',
  deadLetteredAt: 'Fleet-Dead-Lettered-At',
} as const;

const MAX_ERROR_HEADER = 2000;
const MSG_ID_HEADER = 'Nats-Msg-Id';
const DEAD_LETTER_HEADER_NAMES: ReadonlySet<string> = new Set(
  Object.values(DeadLetterHeaders).map((name) => name.toLowerCase()),
);

/** A message of the dead-letter stream, read back: what was given up on, where, when and why. */
export interface DeadLetter {
  /** Its sequence in the dead-letter stream: names it for a replay. */
  readonly sequence: number;
  readonly consumer: string;
  readonly reason: string;
  readonly error: string;
  /** The subject (on the wire) and stream the message was consumed from. */
  readonly originalSubject: string;
  readonly originalStream: string;
  readonly originalSequence: number;
  /** Absent in dead letters written before it was recorded, and for messages published without one. */
  readonly originalMsgId: string | undefined;
  readonly deliveryCount: number;
  readonly deadLetteredAt: string;
  /** The original body, unchanged. */
  readonly data: Uint8Array;
  /** The original's own headers, without the dead letter's. */
  readonly originalHeaders: MsgHdrs;
}

/** A stored message of the dead-letter stream as a `DeadLetter`; throws if it is not one. */
export function readDeadLetter(message: {
  readonly seq: number;
  readonly header?: MsgHdrs;
  readonly data: Uint8Array;
}): DeadLetter {
  const stored = message.header;
  const required = (name: string): string => {
    const value = stored?.get(name);
    if (!value) throw new Error(`dead letter #${message.seq} has no ${name} header`);
    return value;
  };
  const originalHeaders = headers();
  copyApplicationHeaders(stored, originalHeaders, (key) => !DEAD_LETTER_HEADER_NAMES.has(key.toLowerCase()));
  return {
    sequence: message.seq,
    consumer: required(DeadLetterHeaders.consumer),
    reason: required(DeadLetterHeaders.reason),
    error: stored?.get(DeadLetterHeaders.error) ?? '',
    originalSubject: required(DeadLetterHeaders.originalSubject),
    originalStream: required(DeadLetterHeaders.originalStream),
    originalSequence: Number(required(DeadLetterHeaders.originalSequence)),
    originalMsgId: stored?.get(DeadLetterHeaders.originalMsgId) || undefined,
    deliveryCount: Number(stored?.get(DeadLetterHeaders.deliveryCount) ?? 0),
    deadLetteredAt: stored?.get(DeadLetterHeaders.deadLetteredAt) ?? '',
    data: message.data,
    originalHeaders,
  };
}

/**
 * Publishes a message a consumer gives up on to `fleet.dead-letter.<consumer>`: the original body
 * unchanged, its headers (minus the server's `Nats-*` ones; its `Nats-Msg-Id` is kept as
 * `Fleet-Original-Msg-Id`), and why. The message id is the
 * consumer plus the original stream sequence, so dead-lettering the same delivery twice (a crash
 * between publish and term) stores it once.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  names: MessagingNames,
  consumer: string,
  message: JsMsg,
  reason: DeadLetterReason,
  error: string,
): Promise<void> {
  const deadLetterHeaders = headers();
  copyApplicationHeaders(message.headers, deadLetterHeaders);
  deadLetterHeaders.set(DeadLetterHeaders.reason, reason);
  deadLetterHeaders.set(DeadLetterHeaders.error, headerSafe(error));
  deadLetterHeaders.set(DeadLetterHeaders.consumer, consumer);
  deadLetterHeaders.set(DeadLetterHeaders.originalSubject, message.subject);
  deadLetterHeaders.set(DeadLetterHeaders.originalStream, message.info.stream);
  deadLetterHeaders.set(DeadLetterHeaders.originalSequence, String(message.info.streamSequence));
  const originalMsgId = message.headers?.get(MSG_ID_HEADER);
  if (originalMsgId) deadLetterHeaders.set(DeadLetterHeaders.originalMsgId, originalMsgId);
  deadLetterHeaders.set(DeadLetterHeaders.deliveryCount, String(message.info.deliveryCount));
  deadLetterHeaders.set(DeadLetterHeaders.deadLetteredAt, new Date().toISOString());
  await js.publish(names.deadLetterSubject(consumer), message.data, {
    msgID: `${consumer}:${message.info.stream}:${message.info.streamSequence}`,
    headers: deadLetterHeaders,
  });
}

/** Copies every header but the server's own (`Nats-*`) and those `keep` refuses. */
function copyApplicationHeaders(
  from: MsgHdrs | undefined,
  to: MsgHdrs,
  keep: (key: string) => boolean = () => true,
): void {
  if (!from) return;
  for (const key of from.keys()) {
    if (key.toLowerCase().startsWith('nats-') || !keep(key)) continue;
    for (const value of from.values(key)) to.append(key, value);
  }
}

/** Header values are one line; error texts (stack traces, zod issues) are not. */
function headerSafe(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim() || 'unknown error';
  return oneLine.length > MAX_ERROR_HEADER ? `${oneLine.slice(0, MAX_ERROR_HEADER - 1)}…` : oneLine;
}
