import { performance } from 'node:perf_hooks';
import {
  jetstream,
  jetstreamManager,
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '@fleet/contracts';
import type { EventStore, EventStoreSession } from '@fleet/event-sourcing';
import { NatsUnavailableError } from '../connection/connect-nats';
import type { TrustedStreamSources } from '../headquarters/trusted-stream-sources';
import { decodeEnvelope } from '../envelope/envelope-codec';
import { claimInboxEntries, claimInboxEntry } from '../inbox/inbox';
import { defaultMessagingLogger, type MessagingLogger } from '../metrics/messaging-logger';
import {
  NO_MESSAGING_METRICS,
  type ConsumerOutcome,
  type DeadLetterReason,
  type MessagingMetrics,
} from '../metrics/messaging-metrics';
import { MessagingNames } from '../naming/messaging-names';
import { ensureContextStream, ensureDeadLetterStream } from '../setup/context-stream';
import { ensureDurableConsumer } from '../setup/durable-consumer';
import { isPermissionViolation, isStreamNotFound } from '../setup/jetstream-errors';
import type { StreamLimits } from '../setup/stream-limits';
import { markConsumeOutcome, withBatchConsumeSpan, withConsumeSpan } from './consume-span';
import { publishDeadLetter } from './dead-letter';
import { DeliveredBatch } from './delivered-batch';
import { JetStreamBatchContext } from './jetstream-batch-context';
import { JetStreamContext } from './jetstream-context';
import { provenanceProblem, type ExpectedSource } from './message-provenance';
import { isPoisonMessageFailure } from './poison-message.error';
import {
  DEFAULT_MAX_DELIVER,
  DEFAULT_RETRY_BACKOFF_MS,
  outageDelayMs,
  retryDelayMs,
  SPARE_DELIVERIES,
} from './redelivery';
import { InterruptiblePause } from '../support/interruptible-pause';

class AttemptsExhaustedError extends Error {
  constructor(deliveryCount: number) {
    super(
      `delivered ${deliveryCount} times; the last attempt never finished (the consumer died or outlived its ack wait)`,
    );
  }
}

/** A consumer stuck on a message it can neither finish nor give up (see `JetStreamEventConsumer.stall`). */
export interface ConsumerStall {
  readonly since: Date;
  /** The message and the last error, e.g. why its dead letter cannot be published. */
  readonly reason: string;
}

/**
 * Failed dead-letter publishes in a row before the consumer reports itself stalled (readiness 503,
 * `fleet_consumer_stalled`): with the pauses between attempts, a few seconds of failing.
 */
const DEAD_LETTER_FAILURES_BEFORE_STALL = 3;

/** The stream a consumer reads does not exist yet, and only its owner may create it. */
export class SourceStreamMissingError extends NatsUnavailableError {}

/** Runs inside the consumer's transaction; throwing rolls back its effects and the inbox row. */
export type EventHandler = (envelope: EventEnvelope, context: JetStreamContext) => Promise<void>;

/**
 * Runs inside the consumer's transaction with the inbox rows of every envelope it is given (in
 * delivery order, none handled before); throwing rolls back its effects and all of those rows.
 */
export type EventBatchHandler = (
  envelopes: readonly EventEnvelope[],
  context: JetStreamBatchContext,
) => Promise<void>;

export interface JetStreamEventConsumerOptions {
  readonly connection: NatsConnection;
  readonly store: EventStore;
  readonly names?: MessagingNames;
  /** The durable consumer's name; also the inbox's consumer key and the dead-letter subject token. */
  readonly name: string;
  /** A contracts subject or pattern, e.g. `subjectOfTypeInAnyFacility('procurement', 'ShipmentUnitsReceived')`. */
  readonly filterSubject: string;
  /**
   * The stream to read when not the context's own: headquarters' copy of every facility's stream
   * (`HQ_INVENTORY`), together with `trustedSources`. Such a stream is never created here (it only
   * sources, see `ensureHeadquartersStreams`): the consumer waits, stalled, until it exists.
   */
  readonly stream?: string;
  /** Streams whose copies (`Nats-Stream-Source`) the consumer accepts; see `ExpectedSource`. */
  readonly trustedSources?: TrustedStreamSources;
  /** Called once per message. Give exactly one of `handler` and `batchHandler`. */
  readonly handler?: EventHandler;
  /**
   * Called once per run of messages at hand, with all their envelopes, so that the handler can
   * apply them with a few set-based statements (a rig view fed by 13,300 RigInstalled) instead of
   * statements per event. The runs are those of `groupCommit`, their inbox rows are claimed in one
   * statement, and a run whose transaction fails is handled again one message per call, so a poison
   * message is dead-lettered alone and the others are handled. A message handled on its own (a
   * redelivery, a run of one) comes as a batch of one.
   */
  readonly batchHandler?: EventBatchHandler;
  /**
   * With `groupCommit` or a `batchHandler`: how long a run waits, after its first message, for
   * more of the fetch to arrive (at most `batchSize` in all). Messages that trickle in (a relay
   * publishing a bulk install) then commit in runs of ~100, not ~10: fewer commits, each a sync to
   * disk. Adds at most that much latency. Default 0.
   */
  readonly lingerMs?: number;
  /**
   * Handler attempts before the message is dead-lettered. Default 8. The server allows
   * `SPARE_DELIVERIES` more, which only ever end in a dead letter (or an ack, if already handled).
   */
  readonly maxDeliver?: number;
  /** Nak delays after failed attempts (the last repeats). Default 1 s, 5 s, 15 s, 1 min, 2 min, 5 min. */
  readonly retryBackoffMs?: readonly number[];
  /** The server redelivers a message not acknowledged within this. Default 30 s. */
  readonly ackWaitMs?: number;
  /** Messages per fetch. Default 50. */
  readonly batchSize?: number;
  /** How long an empty fetch waits for messages before the next one. Default 5 s (minimum 1 s). */
  readonly fetchExpiresMs?: number;
  /** Unacknowledged messages the server lets this consumer hold (delayed retries count). Default 1000. */
  readonly maxAckPending?: number;
  /** Reports the consumer's lag at most this often. Default 5 s. */
  readonly lagIntervalMs?: number;
  /** Create the source stream if it does not exist yet (its owner may start later). Default true. */
  readonly createStreamIfMissing?: boolean;
  /**
   * Handle the messages already delivered, in order, in one transaction (one inbox row each, one
   * commit for all) instead of one transaction each: for a consumer of many small events (a rig
   * view fed by 13,300 RigRegistered). Only first deliveries that pass every check go together;
   * when the shared transaction fails for any reason, its messages are handled again one by one,
   * as without it, so a poison message or a conflict costs only the retry. The handler must keep
   * no state outside the transaction. Default false.
   */
  readonly groupCommit?: boolean;
  /**
   * Retention of a source stream this consumer creates: its owner's settings (every service reads
   * the same ones), since the owner later leaves an existing stream's retention as it is.
   */
  readonly streamLimits?: StreamLimits;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

/**
 * A durable pull consumer whose handler's effects commit together with an inbox row, before the
 * ack. Each message of a fetched batch, in order:
 *
 * 1. check that it was published to the consumer's stream, on its filter, by the context's owner
 *    (not copied in from another stream; an envelope whose type and facility are the subject's),
 *    and parse and validate the envelope: a message that fails either is dead-lettered at once;
 * 2. in one store transaction: claim the inbox row (consumer, event id), or skip the handler when
 *    the row exists (a redelivery), run the handler with the session, commit;
 * 3. ack. A handler failure naks with a growing delay; after `maxDeliver` attempts (or at once
 *    for a `PoisonMessageError` or a zod error) the message goes to `fleet.dead-letter.<consumer>`
 *    and is terminated, and the consumer goes on. Nothing is dropped silently.
 *
 * An infrastructure failure (an attempt failed and the database does not answer a probe
 * afterwards: down, unreachable, out of connections) is not the message's fault and costs it no
 * delivery: the consumer keeps the message and the rest of its batch in hand (heartbeats extend
 * their ack wait), fetches nothing more, and retries the same message with a growing pause, up
 * to 30 s, until the database answers again.
 */
export class JetStreamEventConsumer {
  readonly name: string;
  readonly stream: string;
  private readonly names: MessagingNames;
  private readonly wireFilter: string;
  private readonly js: JetStreamClient;
  private readonly metrics: MessagingMetrics;
  private readonly logger: MessagingLogger;
  private readonly maxDeliver: number;
  /** The server's `max_deliver`: `maxDeliver` plus the spare deliveries. */
  private readonly serverMaxDeliver: number;
  private readonly retryBackoffMs: readonly number[];
  private readonly ackWaitMs: number;
  private readonly batchSize: number;
  private readonly fetchExpiresMs: number;
  private readonly maxAckPending: number;
  private readonly lagIntervalMs: number;
  private readonly expectedSource: ExpectedSource;
  private readonly handler: { readonly each: EventHandler } | { readonly batch: EventBatchHandler };

  private consumer: Consumer | undefined;
  private loop: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;
  private stopping = false;
  private lastLagReport = 0;
  private stalled: ConsumerStall | undefined;
  private readonly pauses = new InterruptiblePause();

  constructor(private readonly options: JetStreamEventConsumerOptions) {
    this.names = options.names ?? MessagingNames.production;
    this.name = options.name;
    this.stream = options.stream ?? this.names.streamOf(MessagingNames.contextOf(options.filterSubject));
    this.wireFilter = this.names.toWire(options.filterSubject);
    this.maxDeliver = options.maxDeliver ?? DEFAULT_MAX_DELIVER;
    if (!Number.isInteger(this.maxDeliver) || this.maxDeliver < 1)
      throw new Error(`consumer ${this.name}: maxDeliver must be a positive integer, not ${this.maxDeliver}`);
    this.serverMaxDeliver = this.maxDeliver + SPARE_DELIVERIES;
    this.retryBackoffMs = options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.batchSize = options.batchSize ?? 50;
    this.fetchExpiresMs = Math.max(options.fetchExpiresMs ?? 5000, 1000);
    this.maxAckPending = options.maxAckPending ?? 1000;
    this.lagIntervalMs = options.lagIntervalMs ?? 5000;
    this.metrics = options.metrics ?? NO_MESSAGING_METRICS;
    this.logger = options.logger ?? defaultMessagingLogger(`JetStreamConsumer(${this.name})`);
    this.js = jetstream(options.connection);
    this.expectedSource = {
      stream: this.stream,
      wireFilter: this.wireFilter,
      names: this.names,
      trustedSources: options.trustedSources,
    };
    if (options.handler && !options.batchHandler) this.handler = { each: options.handler };
    else if (options.batchHandler && !options.handler) this.handler = { batch: options.batchHandler };
    else throw new Error(`consumer ${this.name}: give exactly one of handler and batchHandler`);
    if (options.batchHandler && options.groupCommit === false)
      throw new Error(`consumer ${this.name}: a batchHandler always commits its runs together`);
  }

  /**
   * Creates or updates the durable consumer (and the streams it needs), then starts pulling. When
   * its source stream does not exist yet and only the stream's owner may create it (Fleet's NATS
   * users), it starts all the same and binds once the owner has started: two services that consume
   * each other's streams (inventory and power) would otherwise each wait for the other forever.
   * Until then it counts as stalled, so readiness says what it waits for.
   */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    this.pauses.start();
    // The series exists from the start, so that an alert on it has something to watch.
    this.stalled = undefined;
    this.metrics.consumerStalled(this.name, false);
    try {
      this.consumer = await this.bind();
    } catch (error) {
      if (!(error instanceof SourceStreamMissingError)) throw error;
      this.logger.warn(error.message);
      this.stalled = { since: new Date(), reason: error.message };
      this.metrics.consumerStalled(this.name, true);
    }
    this.loop = this.run();
  }

  /**
   * Set while the consumer is stuck on a message it can neither finish nor give up: its dead-letter
   * publish keeps failing (the dead-letter stream is gone, NATS refuses it). It processes nothing
   * else meanwhile, so health checks report it; undefined again once the dead letter is published.
   */
  get stall(): ConsumerStall | undefined {
    return this.stalled;
  }

  /** Stops pulling, finishes the messages already fetched, and returns when the last one is acked. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pauses.stop();
    await this.batch?.close();
    await this.loop;
    this.loop = undefined;
  }

  /** Messages matching the filter that the server has not delivered to this consumer yet. */
  async lag(): Promise<number> {
    const consumer = this.consumer ?? (await this.js.consumers.get(this.stream, this.name));
    const info = await consumer.info();
    return info.num_pending;
  }

  private async bind(): Promise<Consumer> {
    const jsm = await jetstreamManager(this.options.connection);
    const context = MessagingNames.contextOf(this.options.filterSubject);
    if (this.options.stream !== undefined) await this.requireStream(jsm);
    else if (this.options.createStreamIfMissing ?? true)
      await ensureContextStream(jsm, {
        ...this.options.streamLimits,
        context,
        names: this.names,
        mode: 'create-if-missing',
      }).catch((error: unknown) => {
        // With Fleet's NATS users only a stream's owner may create it (k8s/nats).
        if (!isPermissionViolation(error)) throw error;
        throw new SourceStreamMissingError(
          `consumer ${this.name}: waiting for stream ${this.stream}, which ${context} creates when it starts; this NATS user may not create it (${describe(error)}): check the consumer's lines in the NATS permissions if ${context} is running`,
        );
      });
    await ensureDeadLetterStream(jsm, { names: this.names, mode: 'create-if-missing' });
    // Spare deliveries beyond the handler attempts: if the process dies or stops during the last
    // attempt, a spare delivery dead-letters the message instead of the server dropping it at
    // max_deliver. No server-side `backoff`: the server offsets a delayed nak from `ack_wait`, not from the
    // backoff step, so with both a nak's delay would turn into backoff[n] − ack_wait + delay
    // (seen on 2.9.10). Retry delays travel with the naks; ack timeouts use the flat ack wait.
    await ensureDurableConsumer(jsm, {
      stream: this.stream,
      durable: this.name,
      filterSubject: this.wireFilter,
      maxDeliver: this.serverMaxDeliver,
      ackWaitMs: this.ackWaitMs,
      maxAckPending: Math.max(this.maxAckPending, this.batchSize),
    });
    return this.js.consumers.get(this.stream, this.name);
  }

  /** A stream this consumer reads but that is not its context's own (headquarters'): it must exist. */
  private async requireStream(jsm: JetStreamManager): Promise<void> {
    try {
      await jsm.streams.info(this.stream);
    } catch (error) {
      if (!isStreamNotFound(error) && !isPermissionViolation(error)) throw error;
      throw new SourceStreamMissingError(
        `consumer ${this.name}: waiting for stream ${this.stream}, which its service creates at start-up (ensureHeadquartersStreams) (${describe(error)})`,
      );
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!this.consumer) {
          this.consumer = await this.bind();
          if (this.stalled) {
            this.logger.log(`consumer ${this.name}: bound to stream ${this.stream}`);
            this.stalled = undefined;
            this.metrics.consumerStalled(this.name, false);
          }
        }
        const batch = await this.consumer.fetch({
          max_messages: this.batchSize,
          expires: this.fetchExpiresMs,
        });
        this.batch = batch;
        if (this.stopping) await batch.close();
        await this.processBatch(batch);
        failures = 0;
        await this.reportLagIfDue();
      } catch (error) {
        failures += 1;
        // The consumer may have been deleted or the connection replaced: bind again next time.
        this.consumer = undefined;
        if (failures === 1 || failures % 10 === 0)
          this.logger.warn(`consumer ${this.name}: pulling failed (${failures}x): ${describe(error)}`);
        await this.pauses.for(Math.min(30_000, 250 * 2 ** Math.min(failures, 10)));
      } finally {
        this.batch = undefined;
      }
    }
  }

  /** Handles the batch in delivery order, heartbeating every message still in hand. */
  private async processBatch(messages: AsyncIterable<JsMsg>): Promise<void> {
    const batch = new DeliveredBatch(messages);
    // A long handler (a thousand rigs in one receipt), a database outage or a slow batch: the
    // server is told the messages are still at work, so none is redelivered to another instance.
    const heartbeat = setInterval(() => batch.working(), Math.max(this.ackWaitMs / 3, 100));
    try {
      if (this.options.groupCommit || this.options.batchHandler) {
        const linger = this.options.lingerMs ?? 0;
        for (
          let group = await batch.nextAvailable(linger);
          group.length > 0;
          group = await batch.nextAvailable(linger)
        )
          await this.processGroup(group);
      } else {
        for (let message = await batch.next(); message; message = await batch.next())
          await this.process(message);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Messages in delivery order: each run of first deliveries whose envelopes pass every check is
   * handled in one transaction; any other message (a redelivery, one to dead-letter) on its own, in
   * its place, so that the order of the messages is kept.
   */
  private async processGroup(messages: readonly JsMsg[]): Promise<void> {
    let run: { message: JsMsg; envelope: EventEnvelope }[] = [];
    for (const message of messages) {
      const envelope = this.stopping ? undefined : this.groupable(message);
      if (envelope) {
        run.push({ message, envelope });
        continue;
      }
      await this.commitTogether(run);
      run = [];
      await this.process(message);
    }
    await this.commitTogether(run);
  }

  /** The envelope of a message that may join a shared transaction: a first delivery, trusted and valid. */
  private groupable(message: JsMsg): EventEnvelope | undefined {
    if (message.info.deliveryCount > 1 || provenanceProblem(message, this.expectedSource)) return undefined;
    const decoded = decodeEnvelope(message.data);
    if (!decoded.ok || provenanceProblem(message, this.expectedSource, decoded.envelope)) return undefined;
    return decoded.envelope;
  }

  private async commitTogether(run: readonly { message: JsMsg; envelope: EventEnvelope }[]): Promise<void> {
    if (run.length === 0) return;
    if (run.length === 1) return this.process(run[0].message);
    const started = performance.now();
    let outcomes: ConsumerOutcome[];
    try {
      outcomes = await this.options.store.transaction(async (session) => {
        const claimed = await claimInboxEntries(
          session,
          this.name,
          run.map(({ envelope }) => envelope.eventId),
        );
        // An event twice in one run (a republished message) is handled at its first delivery only.
        const settled = run.map(({ envelope }): ConsumerOutcome => {
          if (!claimed.delete(envelope.eventId)) return 'duplicate';
          return 'handled';
        });
        const fresh = run.filter((_, index) => settled[index] === 'handled');
        if (fresh.length > 0) await this.handleRun(session, fresh);
        return settled;
      });
    } catch (error) {
      // Nothing of the run was committed: each message goes the ordinary way, where a failure is
      // that message's own (retried, dead-lettered) and the others are handled.
      this.logger.log(
        `consumer ${this.name}: ${run.length} messages in one transaction failed, handling them one by one: ${describe(error)}`,
      );
      for (const { message } of run) await this.process(message);
      return;
    }
    run.forEach(({ message }, index) => {
      this.settle(message, 'ack');
      this.finish(outcomes[index], started);
    });
  }

  /** A run's messages whose inbox rows were just claimed, in the shared transaction. */
  private async handleRun(
    session: EventStoreSession,
    run: readonly { message: JsMsg; envelope: EventEnvelope }[],
  ): Promise<void> {
    const { handler } = this;
    if ('batch' in handler) {
      const messages = run.map(({ message }) => message);
      await withBatchConsumeSpan(this.name, this.options.filterSubject, messages, () =>
        handler.batch(
          run.map(({ envelope }) => envelope),
          new JetStreamBatchContext(messages, session, this.name),
        ),
      );
      return;
    }
    for (const { message, envelope } of run) {
      const subject = this.names.fromWire(message.subject);
      await withConsumeSpan(this.name, subject, message, () =>
        handler.each(envelope, new JetStreamContext(message, session, this.name, subject)),
      );
    }
  }

  /** One message's handler call, whichever kind of handler the consumer has. */
  private handleOne(session: EventStoreSession, message: JsMsg, envelope: EventEnvelope): Promise<void> {
    const { handler } = this;
    if ('batch' in handler)
      return handler.batch([envelope], new JetStreamBatchContext([message], session, this.name));
    const subject = this.names.fromWire(message.subject);
    return handler.each(envelope, new JetStreamContext(message, session, this.name, subject));
  }

  /** One message in its consumer span, which continues the trace its headers carry. */
  private process(message: JsMsg): Promise<void> {
    return withConsumeSpan(this.name, this.names.fromWire(message.subject), message, () =>
      this.handle(message),
    );
  }

  /**
   * Every path ends in ack, nak, dead letter, or (stopping, with a delivery to spare) the message
   * left to the server's redelivery. Throws nothing.
   */
  private async handle(message: JsMsg): Promise<void> {
    const started = performance.now();
    const deliveryCount = message.info.deliveryCount;
    // Before anything is decoded or handled: a message that did not come from the owner of its
    // context (copied in from another stream) is never handled, whatever it contains.
    const untrusted = provenanceProblem(message, this.expectedSource);
    if (untrusted) return this.deadLetter(message, 'untrusted-source', untrusted, started);
    const decoded = decodeEnvelope(message.data);
    if (!decoded.ok) return this.deadLetter(message, 'invalid-envelope', decoded.error, started);

    const envelope = decoded.envelope;
    const misplaced = provenanceProblem(message, this.expectedSource, envelope);
    if (misplaced) return this.deadLetter(message, 'untrusted-source', misplaced, started);
    for (let outageFailures = 0; ;) {
      const attempt = { inHandler: false };
      try {
        const outcome = await this.options.store.transaction(async (session): Promise<ConsumerOutcome> => {
          const fresh = await claimInboxEntry(session, this.name, envelope.eventId);
          if (!fresh) return 'duplicate';
          // A spare delivery: the last attempt never finished. Rolled back, so the dead letter can
          // be replayed later without its inbox row standing in the way.
          if (deliveryCount > this.maxDeliver) throw new AttemptsExhaustedError(deliveryCount);
          attempt.inHandler = true;
          await this.handleOne(session, message, envelope);
          attempt.inHandler = false;
          return 'handled';
        });
        if (outageFailures > 0) this.logger.log(`consumer ${this.name}: the database answers again`);
        this.settle(message, 'ack');
        this.finish(outcome, started);
        return;
      } catch (error) {
        const text = describe(error);
        if (error instanceof AttemptsExhaustedError)
          return this.deadLetter(message, 'max-deliveries', error.message, started);
        if (attempt.inHandler && isPoisonMessageFailure(error))
          return this.deadLetter(message, 'poison', text, started);
        // Whether the handler threw or the transaction could not start or commit, the database
        // decides: if it answers, the attempt failed on this message (a constraint at commit, a
        // bug) and costs a delivery; if not, it is an outage and costs none.
        if (await this.databaseAnswers()) {
          if (deliveryCount >= this.maxDeliver)
            return this.deadLetter(message, 'max-deliveries', text, started);
          const delay = retryDelayMs(this.retryBackoffMs, deliveryCount);
          this.settle(message, 'nak', delay);
          this.finish('retried', started, error);
          this.logger.warn(
            `consumer ${this.name}: ${envelope.type} ${envelope.eventId} failed on attempt ${deliveryCount} of ${this.maxDeliver}, retrying in ${delay} ms: ${text}`,
          );
          return;
        }
        // Infrastructure: keep the message (and the batch behind it) and try again in process.
        outageFailures += 1;
        if (this.stopping) return this.releaseDuringOutage(message, text, started);
        if (outageFailures === 1 || outageFailures % 10 === 0)
          this.logger.warn(
            `consumer ${this.name}: the database is unavailable (${outageFailures}x), holding ${envelope.type} ${envelope.eventId} and the rest of its batch: ${text}`,
          );
        await this.pauses.for(outageDelayMs(outageFailures));
      }
    }
  }

  /** After a failed attempt: was it the message, or is the database gone? */
  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.options.store.transaction((session) => session.manager.query('SELECT 1'));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stopping while the database is down. A message with handler attempts left is naked (its next
   * delivery is one of them); a spare delivery is never naked, since the server may have no
   * delivery left after it: it is dead-lettered, which needs only NATS.
   */
  private async releaseDuringOutage(message: JsMsg, error: string, started: number): Promise<void> {
    const deliveryCount = message.info.deliveryCount;
    if (deliveryCount > this.maxDeliver)
      return this.deadLetter(
        message,
        'max-deliveries',
        `delivered ${deliveryCount} times and the database was unavailable at shutdown: ${error}`,
        started,
      );
    this.settle(message, 'nak', retryDelayMs(this.retryBackoffMs, deliveryCount));
    this.finish('retried', started, error);
  }

  /**
   * Publishes the dead letter, then terms the message. A failed publish is retried in process (the
   * batch heartbeat keeps the message in hand) and never turned into a nak: on a spare delivery a
   * nak could be the message's last delivery, and the server would drop it without a trace. Only
   * when stopping, and with a delivery still to spare, is it left to the server's redelivery.
   */
  private async deadLetter(
    message: JsMsg,
    reason: DeadLetterReason,
    error: string,
    started: number,
  ): Promise<void> {
    const deliveryCount = message.info.deliveryCount;
    for (let failures = 0; ;) {
      try {
        await publishDeadLetter(this.js, this.names, this.name, message, reason, error);
        break;
      } catch (publishError) {
        failures += 1;
        // One refused publish (a NATS leader election) is not a stall; a few in a row are.
        if (failures >= DEAD_LETTER_FAILURES_BEFORE_STALL)
          this.stallOn(
            `cannot dead-letter ${message.subject} #${message.info.streamSequence} (${failures} attempts): ${describe(publishError)}`,
          );
        if (this.stopping && deliveryCount < this.serverMaxDeliver) {
          this.finish('retried', started, publishError);
          // A stopped consumer is not stalled: the message goes back to the server, not to a gauge.
          this.stalled = undefined;
          this.metrics.consumerStalled(this.name, false);
          this.logger.error(
            `consumer ${this.name}: could not dead-letter ${message.subject} #${message.info.streamSequence} before stopping; the server redelivers it after the ack wait: ${describe(publishError)}`,
          );
          return;
        }
        if (failures === 1 || failures % 10 === 0)
          this.logger.error(
            `consumer ${this.name}: could not dead-letter ${message.subject} #${message.info.streamSequence} (${failures}x), retrying${
              this.stopping ? ' before stopping (its last delivery)' : ''
            }: ${describe(publishError)}`,
          );
        // The batch never ends while this goes on: report the lag from here, or its gauge freezes.
        await this.reportLagIfDue();
        // Pauses return at once when stopping; the last delivery must not spin.
        const delay = outageDelayMs(failures);
        await (this.stopping ? sleep(delay) : this.pauses.for(delay));
      }
    }
    this.moveOn();
    this.settle(message, 'term');
    this.metrics.deadLettered(this.name, reason);
    this.finish('dead-lettered', started, error);
    this.logger.error(
      `consumer ${this.name}: dead-lettered ${message.subject} #${message.info.streamSequence} after ${deliveryCount} deliveries (${reason}): ${error}`,
    );
  }

  /**
   * Acks, naks and terms are fire-and-forget publishes; on a closed connection they throw. The
   * outcome is then the server's to decide: it redelivers after the ack wait, and the inbox turns
   * a redelivered, already committed message into a duplicate.
   */
  private settle(message: JsMsg, how: 'ack' | 'nak' | 'term', delayMs?: number): void {
    try {
      if (how === 'ack') message.ack();
      else if (how === 'nak') message.nak(delayMs);
      // No reason text: nats-server 2.9 only recognises a bare `+TERM` and ignores `+TERM <reason>`,
      // leaving the message pending. The reason is in the dead letter.
      else message.term();
    } catch (error) {
      this.logger.warn(
        `consumer ${this.name}: could not ${how} ${message.subject} #${message.info.streamSequence}, the server will redeliver it: ${describe(error)}`,
      );
    }
  }

  private stallOn(reason: string): void {
    if (!this.stalled) this.metrics.consumerStalled(this.name, true);
    this.stalled = { since: this.stalled?.since ?? new Date(), reason };
  }

  private moveOn(): void {
    if (!this.stalled) return;
    this.logger.log(
      `consumer ${this.name}: dead-letters again after a stall since ${this.stalled.since.toISOString()}`,
    );
    this.stalled = undefined;
    this.metrics.consumerStalled(this.name, false);
  }

  private finish(outcome: ConsumerOutcome, started: number, error?: unknown): void {
    markConsumeOutcome(outcome, error);
    this.metrics.messageProcessed(this.name, outcome, performance.now() - started);
  }

  private async reportLagIfDue(): Promise<void> {
    if (Date.now() - this.lastLagReport < this.lagIntervalMs || !this.consumer) return;
    this.lastLagReport = Date.now();
    try {
      const info = await this.consumer.info();
      this.metrics.consumerLag(this.name, info.num_pending);
    } catch (error) {
      this.logger.warn(`consumer ${this.name}: could not read its lag: ${describe(error)}`);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null) {
    try {
      return JSON.stringify(error);
    } catch {
      return String(error);
    }
  }
  return String(error);
}
