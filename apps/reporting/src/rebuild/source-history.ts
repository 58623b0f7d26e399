import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BoundedContext, EventEnvelope } from '@fleet/contracts';
import { decodeEnvelope, type MessagingNames } from '@fleet/messaging';
import type { EventFeedClient } from './event-feed.client';
import { storedEnvelopeOf } from './stored-envelope';

/** An event of a source's history and where it came from (stream sequence 0: its service's feed). */
export interface HistoricEvent {
  readonly envelope: EventEnvelope;
  readonly streamSequence: number;
}

/** Receives a history's events one by one, in order, and folds each before the next is read. */
export type HistoricEventHandler = (historic: HistoricEvent) => void;

/** How a stream read ended (`reading` until it does). */
type ReadOutcome =
  { readonly state: 'reading' | 'done' | 'stalled' } | { readonly state: 'failed'; readonly error: unknown };

/** The NATS client's default reply prefix (`NATS_INBOX_PREFIX` unset). */
const DEFAULT_INBOX_PREFIX = '_INBOX';
/** A stream read that receives nothing this long has nothing more to receive. */
const IDLE_MS = 5000;
/** How often a stream read checks that messages still come. */
const WATCHDOG_TICK_MS = IDLE_MS / 10;

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
   * through an ordered push consumer (about three times the messages a second of a pulling one here).
   * Its messages come to the connection's inbox prefix, the only replies a Fleet NATS user may
   * receive. `onEvent` runs in the client's message callback, with no queue or promise per message
   * in between: the stream is read as fast as it is folded, and NATS waits (flow control) while the
   * process is busy. Should the stream lose the rest meanwhile (retention), the read fails after
   * `IDLE_MS` without a message.
   */
  async readStream(first: number, last: number, onEvent: HistoricEventHandler): Promise<void> {
    if (last < first) return;
    const stream = this.stream;
    const reader = await jetstream(this.readers.nats).consumers.getPushConsumer(stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: first,
      deliver_prefix: this.readers.inboxPrefix ?? DEFAULT_INBOX_PREFIX,
    });
    // Set in the callbacks below: typed wide so that the checks after `settled` are not narrowed away.
    let outcome = { state: 'reading' } as ReadOutcome;
    let seen = first - 1;
    let lastMessageAt = Date.now();
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const end = (final: ReadOutcome): void => {
      if (outcome.state !== 'reading') return;
      outcome = final;
      settle();
    };
    const messages = await reader.consume({
      callback: (message) => {
        if (outcome.state !== 'reading') return;
        lastMessageAt = Date.now();
        if (message.seq > last) return end({ state: 'done' });
        seen = message.seq;
        try {
          const envelope = storedEnvelopeOf(message.data);
          // A message that is not an event is the live consumer's dead letter too: nothing to fold.
          if (envelope) onEvent({ envelope, streamSequence: message.seq });
        } catch (error) {
          return end({ state: 'failed', error });
        }
        if (message.seq >= last) end({ state: 'done' });
      },
    });
    // One watchdog for the whole read rather than a timer reset on every message. A late tick means
    // the process was busy (a long synchronous SQLite write of the previous stream's documents, a GC
    // pause): messages may be waiting unread, so the idle time counts from then.
    let lastTick = Date.now();
    const watchdog = setInterval(() => {
      const now = Date.now();
      if (now - lastTick > 2 * WATCHDOG_TICK_MS) lastMessageAt = now;
      lastTick = now;
      if (now - lastMessageAt >= IDLE_MS) end({ state: 'stalled' });
    }, WATCHDOG_TICK_MS);
    void messages.closed().then(
      () => end({ state: 'stalled' }),
      (error: unknown) => end({ state: 'failed', error }),
    );
    try {
      await settled;
    } finally {
      clearInterval(watchdog);
      await messages.close().catch(() => undefined);
    }
    if (outcome.state === 'done') return;
    if (outcome.state === 'failed') throw outcome.error;
    // Never a partial history swapped in as the reports: the rebuild fails and the reports stay.
    throw new Error(
      `reading ${stream} stopped after sequence ${seen} of ${last}: nothing more came for ${IDLE_MS} ms (messages removed by retention meanwhile, or NATS stopped delivering them)`,
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
