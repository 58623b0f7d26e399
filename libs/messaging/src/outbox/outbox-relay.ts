import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { PubHeaders, type PubAck } from '@nats-io/jetstream';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { isSpanContextValid, ROOT_CONTEXT, trace, type Span } from '@opentelemetry/api';
import { isSubjectToken, type BoundedContext } from '@fleet/contracts';
import type { EventStore, RecordedEvent } from '@fleet/event-sourcing';
import { encodeEnvelope, envelopeHeaders, envelopeOf } from '../envelope/envelope-codec';
import { appendKnownHeader } from '../envelope/known-headers';
import { defaultMessagingLogger, type MessagingLogger } from '../metrics/messaging-logger';
import { NO_MESSAGING_METRICS, type MessagingMetrics } from '../metrics/messaging-metrics';
import { MessagingNames } from '../naming/messaging-names';
import { RelayCheckpoints, type RelayLease } from './relay-checkpoints';
import { countEventsAfter } from './relay-lag';
import { UnpublishableEventError } from './unpublishable-event.error';
import { InterruptiblePause } from '../support/interruptible-pause';
import { injectTraceHeaders } from '../tracing/nats-trace-headers';
import { JetStreamPublisher } from './jetstream-publisher';
import { endPublishSpanOnAck, endPublishSpanWithError, startPublishSpan } from './publish-span';
import { stopStatusIterator } from './stop-status-iterator';

export interface OutboxRelayOptions {
  readonly store: EventStore;
  readonly connection: NatsConnection;
  /** The service's bounded context: its events go to this context's stream. */
  readonly context: BoundedContext;
  readonly names?: MessagingNames;
  /** The checkpoint row's key. Default: the target stream's name. */
  readonly relayName?: string;
  /** This instance in the lease row. Default: host, pid and a random suffix. */
  readonly instanceId?: string;
  /** Events read from the store per batch; one checkpoint write per batch. Default 500. */
  readonly batchSize?: number;
  /**
   * A batch also ends once its events' data reach this many bytes (at least one event): 500
   * receipt events of 512 KiB would otherwise be 250 MB in memory. Default 8 MiB.
   */
  readonly batchMaxBytes?: number;
  /**
   * Publishes awaiting their JetStream ack at once. Default 256. Once the window is full the relay
   * waits for its older half and sends the next half in one go.
   */
  readonly maxInFlight?: number;
  /** Polls the store this often when nobody calls `notify()`. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** A lease not renewed for this long may be taken by another instance. Default 15 s. */
  readonly leaseTtlMs?: number;
  /**
   * After a restart (or a reconnect to a different NATS server), re-publish from a checkpoint that
   * JetStream acknowledged at least this long before: an ack is not an fsync, and the file store
   * syncs every 2 minutes by default. De-duplication (and, past its window, the inboxes) make the
   * repeats harmless. 0 with replicated streams or `sync_interval: always`. Default 120 s.
   * The rewind reaches back up to about two margins, so the stream's duplicate window should be
   * at least 2 × this plus slack (`DEFAULT_DUPLICATE_WINDOW_MS` is 5 min).
   */
  readonly restartMarginMs?: number;
  /** Per-publish ack timeout. Default 5000 ms. */
  readonly publishTimeoutMs?: number;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

/**
 * `standby`: another instance holds the lease. `blocked`: an event cannot be published (see
 * `lastError`); the relay retries it and never skips it.
 */
export type RelayState = 'idle' | 'standby' | 'active' | 'blocked' | 'stopped';

/**
 * How a `flush` ended: `published` (this instance holds the lease and published everything
 * committed), `standby` (another instance holds the lease and publishes it), `stopped` (not running).
 */
export type RelayFlush = 'published' | 'standby' | 'stopped';

/** Someone waiting for `caughtUp` (only a catch-up ends the wait) or `flush` (standing by does too). */
interface SettleWaiter {
  readonly orStandby: boolean;
  readonly resolve: (outcome: Exclude<RelayFlush, 'stopped'>) => void;
}

interface InFlight {
  readonly event: RecordedEvent;
  readonly ack: Promise<PubAck>;
}

class LeaseLostError extends Error {
  constructor(relay: string) {
    super(`relay ${relay} lost its lease to another instance`);
  }
}

/** The file store's default sync interval; see `restartMarginMs`. */
export const DEFAULT_RESTART_MARGIN_MS = 120_000;

/** See `batchMaxBytes`. */
export const DEFAULT_RELAY_BATCH_MAX_BYTES = 8 * 1024 * 1024;

const NATS_HEADER_PREAMBLE = 'NATS/1.0\r\n';
const MAX_RETRY_DELAY_MS = 30_000;
/** Counting the lag reads the store, so while the relay is behind it is counted at most this often. */
const LAG_REPORT_INTERVAL_MS = 1000;

/**
 * Publishes the event store to JetStream in commit order: the events table is the outbox.
 *
 * - Reads `readAll({ after: checkpoint })`, publishes each event as an `EventEnvelope` with
 *   `Nats-Msg-Id` = event id, keeping up to `maxInFlight` publishes unacknowledged (awaiting each
 *   one caps a relay at a few thousand a second), and writes the checkpoint after a batch's acks.
 * - Order survives failures: each publish expects the previous event as the stream's last message
 *   id (`Nats-Expected-Last-Msg-Id`), so if one publish is lost the ones behind it are refused
 *   instead of overtaking it, and the relay re-publishes from the last contiguous ack. The server
 *   checks duplicates first, so re-published events are answered as duplicates.
 * - One active instance per relay name: a lease in `outbox_checkpoints`, taken and renewed with a
 *   conditional UPDATE; the checkpoint write is fenced by the lease's epoch.
 * - Wakes on `notify()` (call it after appends) and polls otherwise.
 */
export class OutboxRelay {
  readonly relayName: string;
  readonly instanceId: string;
  private readonly names: MessagingNames;
  private readonly stream: string;
  private readonly publisher: JetStreamPublisher;
  private readonly checkpoints: RelayCheckpoints;
  private readonly metrics: MessagingMetrics;
  private readonly logger: MessagingLogger;
  private readonly batchSize: number;
  private readonly batchMaxBytes: number;
  private readonly maxInFlight: number;
  /** In flight once a full window has been refilled from: see `maxInFlight`. */
  private readonly refillBelow: number;
  private readonly pollIntervalMs: number;
  private readonly leaseTtlMs: number;
  private readonly publishTimeoutMs: number;

  private currentState: RelayState = 'idle';
  private error: Error | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private lease: RelayLease | undefined;
  /** Last position read and sent in the current run. */
  private cursor = 0n;
  /** Last position whose ack (and every ack before it) arrived. */
  private acked = 0n;
  /** While re-publishing the safety margin, the checkpoint stays where it was until this position. */
  private replayUntil: bigint | undefined;
  private committed = 0n;
  private lastCommitAt = 0;
  /** The event id the stream's last message must carry for the next publish to be accepted. */
  private chainTail: string | undefined;
  private notified = false;
  /** Empty reads since the last `notify()`: the idle delay grows from a few ms to the poll interval. */
  private emptyReadsSinceNotify = Number.POSITIVE_INFINITY;
  private readonly pauses = new InterruptiblePause();
  private rewindRequested = false;
  private serverId: string | undefined;
  private statuses: AsyncIterable<unknown> | undefined;
  private waiters: SettleWaiter[] = [];
  private lastLagReport = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.names = options.names ?? MessagingNames.production;
    this.stream = this.names.streamOf(options.context);
    this.relayName = options.relayName ?? this.stream;
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.batchSize = positive('batchSize', options.batchSize ?? 500);
    this.batchMaxBytes = positive('batchMaxBytes', options.batchMaxBytes ?? DEFAULT_RELAY_BATCH_MAX_BYTES);
    this.maxInFlight = positive('maxInFlight', options.maxInFlight ?? 256);
    this.refillBelow = Math.floor(this.maxInFlight / 2);
    this.pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1000);
    this.leaseTtlMs = positive('leaseTtlMs', options.leaseTtlMs ?? 15_000);
    this.publishTimeoutMs = positive('publishTimeoutMs', options.publishTimeoutMs ?? 5000);
    const restartMarginMs = options.restartMarginMs ?? DEFAULT_RESTART_MARGIN_MS;
    if (!(restartMarginMs >= 0)) throw new Error(`restartMarginMs must be 0 or more, not ${restartMarginMs}`);
    this.metrics = options.metrics ?? NO_MESSAGING_METRICS;
    this.logger = options.logger ?? defaultMessagingLogger(`OutboxRelay(${this.relayName})`);
    this.publisher = new JetStreamPublisher(options.connection, this.publishTimeoutMs);
    this.checkpoints = new RelayCheckpoints(
      options.store,
      this.relayName,
      this.instanceId,
      this.leaseTtlMs,
      restartMarginMs,
    );
  }

  get state(): RelayState {
    return this.currentState;
  }

  /** Why the relay is blocked or retrying; undefined once a batch succeeds again. */
  get lastError(): Error | undefined {
    return this.error;
  }

  /** The position this instance last checkpointed (its term only). */
  get checkpoint(): bigint {
    return this.committed;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.pauses.start();
    this.watchServerChanges();
    this.loop = this.run();
  }

  /** New events were committed: publish now rather than at the next poll. */
  notify(): void {
    this.notified = true;
    this.emptyReadsSinceNotify = 0;
    this.pauses.wake();
  }

  /**
   * Resolves once the relay has read the store to its end with every publish acknowledged and
   * checkpointed (tests use it to wait). Rejects after `timeoutMs`, naming the state and the last
   * error. An instance standing by keeps waiting (until it takes the lease and catches up).
   */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    await this.settle(timeoutMs, false);
  }

  /**
   * Shutdown's flush: publishes what is committed before `stop()`. Only the lease holder can
   * publish, so an instance standing by (or one that loses its lease meanwhile) answers `standby`
   * at once: waiting for a catch-up it can never reach would spend the whole shutdown budget.
   * Rejects like `caughtUp` when the holder cannot finish within `timeoutMs`.
   */
  async flush(timeoutMs: number): Promise<RelayFlush> {
    if (!this.loop) return 'stopped';
    return this.settle(timeoutMs, true);
  }

  private async settle(timeoutMs: number, orStandby: boolean): Promise<Exclude<RelayFlush, 'stopped'>> {
    if (orStandby && this.currentState === 'standby') return 'standby';
    this.notify();
    let timer: NodeJS.Timeout | undefined;
    let waiter: SettleWaiter | undefined;
    try {
      return await new Promise<Exclude<RelayFlush, 'stopped'>>((resolve, reject) => {
        waiter = { orStandby, resolve };
        this.waiters.push(waiter);
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `relay ${this.relayName} did not catch up within ${timeoutMs} ms (state ${this.currentState}${
                  this.error ? `: ${this.error.message}` : ''
                })`,
              ),
            ),
          timeoutMs,
        );
      });
    } finally {
      clearTimeout(timer);
      this.waiters = this.waiters.filter((other) => other !== waiter);
    }
  }

  /** Answers the waiters this outcome ends: a catch-up ends every wait, standing by only flushes. */
  private settleWaiters(outcome: Exclude<RelayFlush, 'stopped'>): void {
    const ended = this.waiters.filter((waiter) => outcome === 'published' || waiter.orStandby);
    this.waiters = this.waiters.filter((waiter) => !ended.includes(waiter));
    for (const waiter of ended) waiter.resolve(outcome);
  }

  /** Stops reading, waits for the publishes in flight, checkpoints them and hands the lease back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pauses.stop();
    await this.loop;
    this.loop = undefined;
    stopStatusIterator(this.statuses);
    this.statuses = undefined;
    this.publisher.close();
    if (this.lease) {
      const lease = this.lease;
      this.lease = undefined;
      try {
        await this.checkpoints.release(lease.epoch);
      } catch (error) {
        // The lease then expires on its own after leaseTtlMs.
        this.logger.warn(`relay ${this.relayName} could not release its lease: ${message(error)}`);
      }
    }
    this.currentState = 'stopped';
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!this.lease || this.rewindRequested) {
          this.rewindRequested = false;
          if (!(await this.takeLease())) {
            await this.pauses.for(Math.min(this.pollIntervalMs, this.leaseTtlMs / 3));
            continue;
          }
        }
        const published = await this.publishBatch(this.lease as RelayLease);
        failures = 0;
        if (this.error) {
          this.logger.log(`relay ${this.relayName} publishes again`);
          this.error = undefined;
          this.currentState = 'active';
        }
        if (published === 0 && !this.notified) await this.pauses.for(this.idleDelay());
      } catch (error) {
        failures += 1;
        this.onFailure(error, failures);
        if (!(error instanceof LeaseLostError))
          await this.pauses.for(Math.min(MAX_RETRY_DELAY_MS, 250 * 2 ** Math.min(failures, 10)));
      }
    }
  }

  /**
   * On PostgreSQL a notified event may not be readable yet (read-all waits until every older
   * transaction in the cluster has ended), so after a notify the relay looks again soon, then
   * less and less often, down to the regular poll.
   */
  private idleDelay(): number {
    const delay = Math.min(this.pollIntervalMs, 20 * 2 ** this.emptyReadsSinceNotify);
    this.emptyReadsSinceNotify += 1;
    return delay;
  }

  private async takeLease(): Promise<boolean> {
    const lease = await this.checkpoints.acquire();
    if (!lease) {
      if (this.currentState !== 'standby')
        this.logger.log(`relay ${this.relayName}: another instance holds the lease, standing by`);
      this.currentState = 'standby';
      this.settleWaiters('standby');
      return false;
    }
    this.lease = lease;
    this.committed = lease.checkpoint;
    this.cursor = lease.resumeAfter;
    this.acked = lease.resumeAfter;
    this.replayUntil = lease.resumeAfter === lease.checkpoint ? undefined : lease.checkpoint;
    this.chainTail = undefined;
    this.lastCommitAt = Date.now();
    this.currentState = 'active';
    this.logger.log(
      `relay ${this.relayName} active as ${this.instanceId}: publishing to ${this.stream} after position ${lease.resumeAfter} (checkpoint ${lease.checkpoint})`,
    );
    return true;
  }

  /** One batch: read, publish with a bounded window, settle every publish, checkpoint. */
  private async publishBatch(lease: RelayLease): Promise<number> {
    this.notified = false;
    // A lease close to expiry is renewed before publishing under it.
    if (Date.now() - this.lastCommitAt > this.leaseTtlMs / 3) await this.commit(lease);
    let events = await this.readPage();
    if (events.length === 0) {
      // On PostgreSQL an empty page can mean "held back by a transaction open elsewhere in the
      // cluster": that is lag, not the end of the feed.
      const heldBack = await this.options.store.countHeldBack();
      if (heldBack > 0) {
        this.metrics.relayLag(this.stream, heldBack);
        return 0;
      }
      // The transaction that held events back at the read may have ended before the count: only a
      // read after a count of none proves the end of the feed to whoever waits for it.
      if (this.waiters.length > 0) events = await this.readPage();
      if (events.length === 0) {
        await this.reportLag(true, heldBack);
        this.settleWaiters('published');
        return 0;
      }
    }

    const inFlight: InFlight[] = [];
    let published = 0;
    /** The batch's envelopes, in bytes: they hold its events' data, which the byte budget counts. */
    let envelopeBytes = 0;
    let failure: unknown;
    const settleOldest = async (): Promise<void> => {
      const oldest = inFlight.shift() as InFlight;
      await oldest.ack;
      this.acked = oldest.event.position;
      published += 1;
      if (this.replayUntil === oldest.event.position) this.replayUntil = undefined;
    };

    for (const event of events) {
      if (this.stopping) break;
      try {
        const { subject, data, headers, span } = this.prepare(event);
        envelopeBytes += data.length;
        const ack = this.publisher.publish(subject, data, headers);
        endPublishSpanOnAck(span, ack);
        // Handled when its turn comes; this keeps a rejection from being reported as unhandled meanwhile.
        ack.catch(() => undefined);
        inFlight.push({ event, ack });
        this.cursor = event.position;
        this.chainTail = event.eventId;
        // A full window is refilled by halves rather than one publish per ack: the publishes of one
        // turn of the event loop leave in one socket write, instead of a write (a system call) each.
        if (inFlight.length >= this.maxInFlight)
          while (inFlight.length > this.refillBelow) await settleOldest();
      } catch (error) {
        failure = error;
        break;
      }
    }
    // Everything sent before a failure to prepare the next event still counts; a failed publish
    // is the earlier problem and takes precedence.
    while (inFlight.length > 0) {
      try {
        await settleOldest();
      } catch (error) {
        failure = error;
        break;
      }
    }
    // Acks behind a failure do not count (the failed one must go first), but they must settle
    // before the next run re-publishes them.
    await Promise.allSettled(inFlight.map((entry) => entry.ack));

    if (published > 0) {
      this.metrics.eventsPublished(this.stream, published);
      await this.commit(lease);
    }
    if (failure !== undefined) throw failure;
    // A short batch reached the end of the feed, unless the byte budget ended it (never while its
    // envelopes, larger than the data they carry, stay below the budget).
    const readToEnd = events.length < this.batchSize && envelopeBytes < this.batchMaxBytes;
    await this.reportLag(readToEnd && !this.stopping);
    return published;
  }

  private readPage(): Promise<readonly RecordedEvent[]> {
    return this.options.store.readAll({
      after: this.cursor,
      limit: this.batchSize,
      maxBytes: this.batchMaxBytes,
    });
  }

  /** The message of an event, and its publish span (ended by the caller once the ack arrives). */
  private prepare(event: RecordedEvent): { subject: string; data: Uint8Array; headers: MsgHdrs; span: Span } {
    const envelope = envelopeOf(event);
    if (!isSubjectToken(envelope.facilityId))
      throw new UnpublishableEventError(
        event.eventId,
        event.type,
        event.position,
        `facility id "${envelope.facilityId}" is not a single NATS subject token`,
      );
    if (!isSubjectToken(event.type))
      throw new UnpublishableEventError(
        event.eventId,
        event.type,
        event.position,
        'its type is not a single NATS subject token',
      );
    const data = encodeEnvelope(envelope);
    const headers = envelopeHeaders(envelope);
    const subject = this.names.subjectOf(this.options.context, envelope.facilityId, event.type);
    const span = startPublishSpan(event, subject, this.stream);
    // The consumer's span is the publish span's child: the trace goes on across services. Without
    // a valid span context (no tracing SDK, no trace stored with the event) there is nothing to inject.
    if (isSpanContextValid(span.spanContext()))
      injectTraceHeaders(trace.setSpan(ROOT_CONTEXT, span), headers);
    appendKnownHeader(headers, PubHeaders.MsgIdHdr, event.eventId);
    if (this.chainTail) appendKnownHeader(headers, PubHeaders.ExpectedLastMsgIdHdr, this.chainTail);
    const maxPayload = this.options.connection.info?.max_payload;
    const size = maxPayload === undefined ? 0 : messageBytes(data, headers, maxPayload);
    if (maxPayload !== undefined && size > maxPayload) {
      const error = new UnpublishableEventError(
        event.eventId,
        event.type,
        event.position,
        `its message is ${size} bytes, over the NATS server's max_payload of ${maxPayload} bytes (split the event, or raise max_payload)`,
      );
      endPublishSpanWithError(span, error);
      throw error;
    }
    return { span, subject, data, headers };
  }

  /** Fenced checkpoint write that also renews the lease. */
  private async commit(lease: RelayLease): Promise<void> {
    const position = this.replayUntil === undefined ? this.acked : this.committed;
    if (!(await this.checkpoints.commit(lease.epoch, position))) {
      this.lease = undefined;
      throw new LeaseLostError(this.relayName);
    }
    this.committed = position;
    this.lastCommitAt = Date.now();
  }

  /**
   * Events committed to the store but not yet checkpointed as published, up to the real head: the
   * ones readAll still holds back count too. When the last read reached the end and everything read
   * is checkpointed, only those are left; otherwise the lag is counted in feed order (see
   * `countEventsAfter`), at most once per `LAG_REPORT_INTERVAL_MS`.
   */
  private async reportLag(readToEnd: boolean, heldBack?: number): Promise<void> {
    if (readToEnd && this.replayUntil === undefined && this.committed === this.cursor) {
      // An empty page has just counted what is held back: no second query on an idle poll. A short
      // batch that reached the end counts it at most once per interval, not once per batch.
      if (heldBack === undefined) {
        if (Date.now() - this.lastLagReport < LAG_REPORT_INTERVAL_MS) return;
        this.lastLagReport = Date.now();
      }
      this.metrics.relayLag(this.stream, heldBack ?? (await this.options.store.countHeldBack()));
      return;
    }
    if (Date.now() - this.lastLagReport < LAG_REPORT_INTERVAL_MS) return;
    this.lastLagReport = Date.now();
    this.metrics.relayLag(this.stream, await countEventsAfter(this.options.store, this.committed));
  }

  private onFailure(error: unknown, failures: number): void {
    // The next run starts after the last contiguous ack, without an expectation on its first message.
    this.cursor = this.acked;
    this.chainTail = undefined;
    if (error instanceof LeaseLostError) {
      this.currentState = 'standby';
      this.settleWaiters('standby');
      this.logger.warn(error.message);
      return;
    }
    this.error = error instanceof Error ? error : new Error(String(error));
    if (error instanceof UnpublishableEventError) {
      this.currentState = 'blocked';
      this.logger.error(`relay ${this.relayName} is blocked: ${error.message}`);
      return;
    }
    // One line per failure burst, then one every tenth retry.
    if (failures === 1 || failures % 10 === 0)
      this.logger.warn(
        `relay ${this.relayName}: publishing failed (${failures}x), retrying after position ${this.acked}: ${message(error)}`,
      );
  }

  /**
   * A different server after a reconnect (a restart, a failover) may have lost acknowledged
   * messages that were not yet on its disk: re-publish from the safety margin.
   */
  private watchServerChanges(): void {
    this.serverId = this.options.connection.info?.server_id;
    const statuses = this.options.connection.status();
    this.statuses = statuses;
    void (async () => {
      for await (const status of statuses) {
        if ((status as { type?: string }).type !== 'reconnect') continue;
        const serverId = this.options.connection.info?.server_id;
        if (serverId === this.serverId) continue;
        this.serverId = serverId;
        this.rewindRequested = true;
        this.logger.warn(
          `relay ${this.relayName}: reconnected to a different NATS server, re-publishing from the safety margin`,
        );
        this.pauses.wake();
      }
    })();
  }
}

/**
 * The message's size on the wire, exact when it may be over `limit`. Counting the headers' UTF-8
 * bytes for every event costs more than the bound: a UTF-16 unit is at most 3 UTF-8 bytes.
 */
function messageBytes(data: Uint8Array, headers: MsgHdrs, limit: number): number {
  let units = NATS_HEADER_PREAMBLE.length + 2;
  for (const [key, values] of headers) for (const value of values) units += key.length + value.length + 4;
  if (data.length + 3 * units <= limit) return data.length + units;
  let size = NATS_HEADER_PREAMBLE.length + 2;
  for (const [key, values] of headers)
    for (const value of values) size += Buffer.byteLength(`${key}: ${value}\r\n`);
  return data.length + size;
}

function positive(name: string, value: number): number {
  if (!(value > 0)) throw new Error(`${name} must be positive, not ${value}`);
  return value;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
