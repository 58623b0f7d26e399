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
  deliveryCount: 'Fleet-Delivery-Count',
  deadLetteredAt: 'Fleet-Dead-Lettered-At',
} as const;

const MAX_ERROR_HEADER = 2000;

/**
 * Publishes a message a consumer gives up on to `fleet.dead-letter.<consumer>`: the original body
 * unchanged, its headers (minus the server's `Nats-*` ones), and why. The message id is the
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
  deadLetterHeaders.set(DeadLetterHeaders.deliveryCount, String(message.info.deliveryCount));
  deadLetterHeaders.set(DeadLetterHeaders.deadLetteredAt, new Date().toISOString());
  await js.publish(names.deadLetterSubject(consumer), message.data, {
    msgID: `${consumer}:${message.info.stream}:${message.info.streamSequence}`,
    headers: deadLetterHeaders,
  });
}

function copyApplicationHeaders(from: MsgHdrs | undefined, to: MsgHdrs): void {
  if (!from) return;
  for (const key of from.keys()) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of from.values(key)) to.append(key, value);
  }
}

/** Header values are one line; error texts (stack traces, zod issues) are not. */
function headerSafe(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim() || 'unknown error';
  return oneLine.length > MAX_ERROR_HEADER ? `${oneLine.slice(0, MAX_ERROR_HEADER - 1)}…` : oneLine;
}
