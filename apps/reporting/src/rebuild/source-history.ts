import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BoundedContext, EventEnvelope } from '@fleet/contracts';
import { decodeEnvelope, readStreamRange, type MessagingNames } from '@fleet/messaging';
import type { EventFeedClient } from './event-feed.client';
import { storedEnvelopeOf } from './stored-envelope';

/** An event of a source's history and where it came from (stream sequence 0: its service's feed). */
export interface HistoricEvent {
  readonly envelope: EventEnvelope;
  readonly streamSequence: number;
}

/** Receives a history's events one by one, in order, and folds each before the next is read. */
export type HistoricEventHandler = (historic: HistoricEvent) => void;

export interface SourceReaders {
  readonly nats: NatsConnection;
  readonly names: MessagingNames;
  /** The source services' event feeds, by context: where a stream cut by retention is read from. */
  readonly feeds: Partial<Record<BoundedContext, EventFeedClient>>;
  /** The connection's reply prefix (`NATS_INBOX_PREFIX`): where the stream's messages are pushed. */
  readonly inboxPrefix?: string;
}

interface StreamState {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly messages: number;
}

/**
 * One context's history as a rebuild reads it: what its stream no longer holds (retention: the
 * stream's first sequence is past 1) from the service's `GET /events`, up to the stream's first
 * event, then the stream from its first message up to the last one when the rebuild began.
 */
export class SourceHistory {
  private constructor(
    readonly context: BoundedContext,
    private readonly readers: SourceReaders,
    private readonly jsm: JetStreamManager,
    private readonly state: StreamState,
    private readonly stream: string,
  ) {}

  /** `stream`: the context's own by default; at headquarters a facility's copy of it. */
  static async open(
    context: BoundedContext,
    readers: SourceReaders,
    stream = readers.names.streamOf(context),
  ): Promise<SourceHistory> {
    const jsm = await jetstreamManager(readers.nats);
    const info = await jsm.streams.info(stream).catch(() => undefined);
    const state: StreamState = info
      ? {
          firstSequence: info.state.first_seq,
          lastSequence: info.state.last_seq,
          messages: info.state.messages,
        }
      : { firstSequence: 0, lastSequence: 0, messages: 0 };
    return new SourceHistory(context, readers, jsm, state, stream);
  }

  /** The stream's last sequence when the history was opened: the rebuild folds through it. */
  get lastSequence(): number {
    return this.state.lastSequence;
  }

  /** What the stream holds (the feed's part is not known before it is read). */
  get streamEvents(): number {
    return this.state.messages;
  }

  /** Whether the stream lost older events to retention, so that the service's feed must fill in. */
  get cutByRetention(): boolean {
    return this.state.lastSequence > 0 && this.state.firstSequence > 1;
  }

  /** Hands every event of the history to `onEvent`, in order: the feed's part first, then the stream's. */
  async read(onEvent: HistoricEventHandler): Promise<void> {
    if (this.state.lastSequence === 0) return;
    if (this.cutByRetention) await this.readFeed(onEvent);
    if (this.state.messages > 0)
      await this.readStream(this.state.firstSequence, this.state.lastSequence, onEvent);
  }

  /**
   * Hands the stream's messages from `first` through `last` to `onEvent`, in order, as they arrive
   * (`readStreamRange`: an ordered push consumer, about three times the messages a second of a
   * pulling one here), to the connection's inbox prefix, the only replies a Fleet NATS user may
   * receive. `onEvent` runs in the client's message callback: the stream is read as fast as it is
   * folded. A read that stops short (retention removed the rest meanwhile) fails.
   */
  async readStream(first: number, last: number, onEvent: HistoricEventHandler): Promise<void> {
    await readStreamRange(
      this.readers.nats,
      { stream: this.stream, first, last, inboxPrefix: this.readers.inboxPrefix },
      (streamSequence, data) => {
        const envelope = storedEnvelopeOf(data);
        // A message that is not an event is the live consumer's dead letter too: nothing to fold.
        if (envelope) onEvent({ envelope, streamSequence });
      },
    );
  }

  private async readFeed(onEvent: HistoricEventHandler): Promise<void> {
    // Headquarters' copy of a facility's stream: no service of its own to fill it in from.
    if (this.stream !== this.readers.names.streamOf(this.context))
      throw new Error(
        `stream ${this.stream} no longer holds its first events (retention): it can only be rebuilt from what it holds`,
      );
    const feed = this.readers.feeds[this.context];
    if (!feed)
      throw new Error(
        `stream ${this.stream} no longer holds its first events (retention): set ${this.context.toUpperCase()}_URL to read them from ${this.context}'s GET /events`,
      );
    const first =
      this.state.messages > 0
        ? await this.jsm.streams.getMessage(this.stream, {
            seq: this.state.firstSequence,
          })
        : null;
    const firstDecoded = first ? decodeEnvelope(first.data) : undefined;
    const streamStartsAt = firstDecoded?.ok ? BigInt(firstDecoded.envelope.position) : undefined;
    for await (const envelope of feed.read(
      '0',
      (candidate) => streamStartsAt === undefined || BigInt(candidate.position) < streamStartsAt,
    ))
      onEvent({ envelope, streamSequence: 0 });
  }
}
