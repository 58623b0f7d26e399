import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { readDeadLetter, type DeadLetter } from '../consumer/dead-letter';
import { decodeEnvelope } from '../envelope/envelope-codec';
import type { DeadLetterReason } from '../metrics/messaging-metrics';
import { MessagingNames } from '../naming/messaging-names';
import { subjectMatches } from '../naming/subject-pattern';
import { isMessageNotFound, isStreamNotFound } from '../setup/jetstream-errors';

export interface DeadLetterFilter {
  /** The consumer that gave up (its durable name, e.g. `inventory-ShipmentUnitsReceived`). */
  readonly consumer?: string;
  /** The original subject, as the contracts write it; wildcards allowed (`fleet.procurement.*.ShipmentUnitsReceived`). */
  readonly subject?: string;
  /** One dead letter, by its sequence in the dead-letter stream. */
  readonly sequence?: number;
}

export interface ReplayOptions {
  /**
   * The consumers' `INBOX_RETENTION_MS`. An event older than this may have lost its inbox rows, so
   * the consumers that did handle it would handle it again: such a dead letter is kept.
   */
  readonly inboxRetentionMs: number;
  /** Replay even an event older than `inboxRetentionMs`. */
  readonly force?: boolean;
}

export type ReplayOutcome =
  | { readonly outcome: 'replayed'; readonly stream: string; readonly sequence: number }
  | { readonly outcome: 'kept'; readonly why: string };

/** Messages fetched per request while listing. */
const LIST_BATCH = 256;
const LIST_FETCH_EXPIRES_MS = 5000;

/**
 * The dead-letter stream as an operator sees it: list what consumers gave up on, and replay a
 * dead letter once its cause is fixed.
 *
 * A replay publishes the original body and headers to the original subject, on the original
 * stream, with the original `Nats-Msg-Id` (the event id), so every consumer of that subject sees
 * it again and their inboxes keep it from running twice where it had succeeded; then it removes
 * the dead letter. Three cases keep the dead letter instead: the stream still remembers the message
 * id (within its duplicate window it would drop the replay: try again later), an event older
 * than the inbox retention (unless forced), and a message of an untrusted source (never replayed).
 */
export class DeadLetterStream {
  private readonly js: JetStreamClient;
  private jsm: JetStreamManager | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly names: MessagingNames = MessagingNames.production,
  ) {
    this.js = jetstream(connection);
  }

  /** The dead letters matching `filter`, oldest first. */
  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const letters = await (
      filter.sequence === undefined ? this.readAll(filter.consumer) : this.readOne(filter.sequence)
    ).catch((error: unknown) => {
      if (!isStreamNotFound(error)) throw error;
      // Most likely a tool pointed at another namespace than the services': say so.
      throw new Error(
        `there is no ${this.names.deadLetterStream} stream on this server: nothing was dead-lettered here, or FLEET_NATS_NAMESPACE is not the services'`,
        { cause: error },
      );
    });
    const subject = filter.subject === undefined ? undefined : this.names.toWire(filter.subject);
    return letters.filter(
      (letter) =>
        (filter.consumer === undefined || letter.consumer === filter.consumer) &&
        (subject === undefined || subjectMatches(subject, letter.originalSubject)),
    );
  }

  async replay(letter: DeadLetter, options: ReplayOptions): Promise<ReplayOutcome> {
    // Replaying would publish it on its context's subject, as the owner's event: never, even forced.
    if (letter.reason === ('untrusted-source' satisfies DeadLetterReason))
      return {
        outcome: 'kept',
        why: `it was not published to ${letter.originalStream} by its owner (${letter.error}): a replay would publish it as the owner's event; inspect it and remove it by hand`,
      };
    const decoded = decodeEnvelope(letter.data);
    if (decoded.ok && !options.force) {
      const ageMs = Date.now() - Date.parse(decoded.envelope.occurredAt);
      if (ageMs >= options.inboxRetentionMs)
        return {
          outcome: 'kept',
          why: `the event occurred ${Math.round(ageMs / 60_000)} min ago, longer than the inbox retention of ${Math.round(options.inboxRetentionMs / 60_000)} min: consumers that handled it may have forgotten it and would handle it again (force to replay anyway)`,
        };
    }
    // Dead letters written before the original id was recorded: the relay's id is the event id.
    const msgID = letter.originalMsgId ?? (decoded.ok ? decoded.envelope.eventId : undefined);
    // No `expect: { streamName }`: an expectation header is stored with the message, and
    // headquarters' copy of the stream (another name) would refuse it and stop copying (nats-server
    // 2.9 checks a copied message's expectations again). The ack says which stream stored it.
    const ack = await this.js.publish(letter.originalSubject, letter.data, {
      headers: letter.originalHeaders,
      ...(msgID === undefined ? {} : { msgID }),
    });
    if (ack.stream !== letter.originalStream)
      throw new Error(
        `the replay of ${letter.originalSubject} was stored by stream ${ack.stream} (sequence ${ack.seq}), not by ${letter.originalStream}: check which streams take ${letter.originalSubject}; the dead letter is kept`,
      );
    if (ack.duplicate)
      return {
        outcome: 'kept',
        why: `${letter.originalStream} still remembers message id ${msgID} (the original or an earlier replay) within its duplicate window, and dropped the replay: replay it after the window`,
      };
    await this.remove(letter);
    return { outcome: 'replayed', stream: ack.stream, sequence: ack.seq };
  }

  /**
   * Removes a dead letter whose event a replay has already put back on its stream: another
   * consumer's dead letter of the same event (every consumer of the subject receives the replay).
   */
  async remove(letter: DeadLetter): Promise<void> {
    // Removed, not overwritten on disk (`erase`): the message is not secret, and erasing costs a write.
    await (await this.manager()).streams.deleteMessage(this.names.deadLetterStream, letter.sequence, false);
  }

  private async readOne(sequence: number): Promise<DeadLetter[]> {
    const jsm = await this.manager();
    try {
      const stored = await jsm.streams.getMessage(this.names.deadLetterStream, { seq: sequence });
      return stored ? [readDeadLetter(stored)] : [];
    } catch (error) {
      if (isMessageNotFound(error)) return [];
      throw error;
    }
  }

  /** Through an ordered consumer (filtered by the server when a consumer is named). */
  private async readAll(consumerName: string | undefined): Promise<DeadLetter[]> {
    const stream = this.names.deadLetterStream;
    const filter =
      consumerName === undefined ? this.names.deadLetterSubjects : this.names.deadLetterSubject(consumerName);
    const jsm = await this.manager();
    const info = await jsm.streams.info(stream, { subjects_filter: filter });
    const total = Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
    if (total === 0) return [];
    const reader = await this.js.consumers.get(stream, { filter_subjects: filter });
    const letters: DeadLetter[] = [];
    try {
      while (letters.length < total) {
        const batch = await reader.fetch({
          max_messages: Math.min(LIST_BATCH, total - letters.length),
          expires: LIST_FETCH_EXPIRES_MS,
        });
        const before = letters.length;
        for await (const message of batch)
          letters.push(readDeadLetter({ seq: message.seq, header: message.headers, data: message.data }));
        // Fewer than counted: some were replayed or removed meanwhile.
        if (letters.length === before) break;
      }
    } finally {
      await reader.delete().catch(() => undefined);
    }
    return letters;
  }

  private async manager(): Promise<JetStreamManager> {
    this.jsm ??= await jetstreamManager(this.connection);
    return this.jsm;
  }
}
