import type { NatsConnection, Status } from '@nats-io/transport-node';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { parseSubject, type EventEnvelope } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import {
  JetStreamEventConsumer,
  type JetStreamEventConsumerOptions,
} from '../consumer/jetstream-event-consumer';
import type { JetStreamBatchContext } from '../consumer/jetstream-batch-context';
import type { JetStreamContext } from '../consumer/jetstream-context';
import type { HeadquartersStreams } from '../headquarters/headquarters-streams';
import { defaultMessagingLogger, type MessagingLogger } from '../metrics/messaging-logger';
import type { MessagingMetrics } from '../metrics/messaging-metrics';
import { MessagingNames } from '../naming/messaging-names';
import type { StreamLimits } from '../setup/stream-limits';

export interface JetStreamTransportOptions {
  readonly connection: NatsConnection;
  readonly store: EventStore;
  /** The service's name: consumers are `<consumerPrefix>-<EventType>`. */
  readonly consumerPrefix: string;
  readonly names?: MessagingNames;
  readonly maxDeliver?: number;
  readonly batchSize?: number;
  readonly retryBackoffMs?: readonly number[];
  readonly ackWaitMs?: number;
  readonly fetchExpiresMs?: number;
  readonly maxAckPending?: number;
  /** Retention of a source stream a consumer creates before its owner does. */
  readonly streamLimits?: StreamLimits;
  /**
   * Headquarters: each handler gets one consumer per facility (`<name>-<facilityId>`), on that
   * facility's headquarters stream of the context (`HQ_INVENTORY_us-tx-01`, copied in by stream
   * sourcing), accepting the facility's copies.
   */
  readonly headquarters?: HeadquartersStreams;
  readonly metrics?: MessagingMetrics;
  readonly logger?: MessagingLogger;
}

/** `@EventPattern(pattern, { consumer: 'name' })` overrides the derived durable name. */
export interface JetStreamPatternExtras {
  readonly consumer?: string;
  /** See `JetStreamEventConsumerOptions.groupCommit`. */
  readonly groupCommit?: boolean;
  /**
   * The handler takes the envelopes of a run of messages at once
   * (`@Payload() envelopes: readonly EventEnvelope[]`, `@Ctx() ctx: JetStreamBatchContext`); see
   * `JetStreamEventConsumerOptions.batchHandler`.
   */
  readonly batch?: boolean;
  /**
   * Messages per fetch for this consumer, instead of the transport's `batchSize`: the longest run
   * a batch (or group-commit) handler is handed. A consumer that falls behind then catches up in
   * few large transactions (500 rig events in one, not ten of 50).
   */
  readonly batchSize?: number;
  /** See `JetStreamEventConsumerOptions.lingerMs`. */
  readonly lingerMs?: number;
}

export type JetStreamTransportStatus = 'listening' | 'closed';

/** `transport.on('disconnect', (status) => …)`: the NATS connection's status events by type. */
export type JetStreamTransportEvents = {
  [Type in Status['type']]: (status: Extract<Status, { type: Type }>) => void;
};

const DURABLE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Fleet's event transport for Nest: every `@EventPattern(subject)` handler becomes one durable pull
 * consumer (`<service>-<EventType>`) on the stream of the subject's context, called as
 * `handler(envelope, ctx: JetStreamContext)` inside the store transaction that also writes the
 * inbox row. Request-reply (`@MessagePattern`) is not for events: use Nest's NATS transport.
 *
 * Register the `JetStreamErrorFilter` on the microservice to keep handler errors intact (Nest's
 * default filter replaces them with "Internal server error" before they reach the transport).
 */
export class JetStreamTransport
  extends Server<JetStreamTransportEvents, JetStreamTransportStatus>
  implements CustomTransportStrategy
{
  /** Handler failures come back to the transport, which naks or dead-letters them. */
  override readonly propagatesEventHandlerErrors = true;
  private readonly names: MessagingNames;
  private readonly log: MessagingLogger;
  private readonly consumers: JetStreamEventConsumer[] = [];
  private readonly listeners = new Map<string, ((status: Status) => void)[]>();
  private statuses: AsyncIterable<Status> | undefined;

  constructor(private readonly options: JetStreamTransportOptions) {
    super();
    this.names = options.names ?? MessagingNames.production;
    this.log = options.logger ?? defaultMessagingLogger('JetStreamTransport');
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.getHandlers()) {
        if (!handler.isEventHandler)
          throw new Error(
            `@MessagePattern('${pattern}') cannot be served by JetStreamTransport: events only (use @EventPattern)`,
          );
        this.consumers.push(...this.createConsumers(pattern, handler));
      }
      const names = new Set<string>();
      for (const consumer of this.consumers) {
        if (names.has(consumer.name))
          throw new Error(
            `two @EventPattern handlers would share consumer ${consumer.name}: name one with @EventPattern(pattern, { consumer })`,
          );
        names.add(consumer.name);
      }
      for (const consumer of this.consumers) await consumer.start();
      this.forwardConnectionStatus();
      this._status$.next('listening');
      this.log.log(
        `consuming with ${this.consumers.map((consumer) => consumer.name).join(', ') || 'no handlers'}`,
      );
      callback();
    } catch (error) {
      await this.close();
      callback(error);
    }
  }

  /** Stops pulling on every consumer and waits for each to finish the batch it holds. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    this.consumers.length = 0;
    (this.statuses as { stop?: () => void } | undefined)?.stop?.();
    this.statuses = undefined;
    this._status$.next('closed');
  }

  on<
    EventKey extends keyof JetStreamTransportEvents,
    EventCallback extends JetStreamTransportEvents[EventKey],
  >(event: EventKey, callback: EventCallback): void {
    const callbacks = this.listeners.get(event) ?? [];
    callbacks.push(callback as (status: Status) => void);
    this.listeners.set(event, callbacks);
  }

  /** The NATS connection the consumers use. */
  unwrap<T>(): T {
    return this.options.connection as T;
  }

  /** The running consumers, for lag and health checks. */
  get eventConsumers(): readonly JetStreamEventConsumer[] {
    return this.consumers;
  }

  /** The handler's consumer; at headquarters one per facility. */
  private createConsumers(pattern: string, handler: MessageHandler): JetStreamEventConsumer[] {
    const extras = (handler.extras ?? {}) as JetStreamPatternExtras;
    const name = extras.consumer ?? this.consumerNameOf(pattern);
    if (!DURABLE_NAME.test(name))
      throw new Error(
        `consumer name "${name}" for @EventPattern('${pattern}') must be letters, digits, - and _`,
      );
    const options: JetStreamEventConsumerOptions = {
      connection: this.options.connection,
      store: this.options.store,
      names: this.names,
      name,
      filterSubject: pattern,
      ...(extras.batch
        ? { batchHandler: (envelopes, context) => this.invoke(handler, envelopes, context) }
        : { handler: (envelope, context) => this.invoke(handler, envelope, context) }),
      groupCommit: extras.groupCommit,
      lingerMs: extras.lingerMs,
      maxDeliver: this.options.maxDeliver,
      batchSize: extras.batchSize ?? this.options.batchSize,
      retryBackoffMs: this.options.retryBackoffMs,
      ackWaitMs: this.options.ackWaitMs,
      fetchExpiresMs: this.options.fetchExpiresMs,
      maxAckPending: this.options.maxAckPending,
      streamLimits: this.options.streamLimits,
      metrics: this.options.metrics,
      logger: this.options.logger,
    };
    const headquarters = this.options.headquarters;
    if (!headquarters) return [new JetStreamEventConsumer(options)];
    return headquarters.streamsOf(MessagingNames.contextOf(pattern)).map(
      ({ facilityId, stream }) =>
        new JetStreamEventConsumer({
          ...options,
          name: `${name}-${facilityId}`,
          stream,
          trustedSources: headquarters.trustedSourcesOf(facilityId),
        }),
    );
  }

  /**
   * `fleet.procurement.*.ShipmentUnitsReceived` → `<prefix>-ShipmentUnitsReceived`; a whole
   * context's events (`fleet.procurement.*.*`, see `OnContextEvents`) → `<prefix>-procurement`.
   */
  private consumerNameOf(pattern: string): string {
    const parsed = parseSubject(pattern);
    MessagingNames.contextOf(pattern);
    if (parsed && parsed.facilityId === '*' && parsed.eventType === '*')
      return `${this.options.consumerPrefix}-${parsed.context}`;
    if (!parsed || parsed.eventType === '*' || parsed.eventType === '>')
      throw new Error(
        `@EventPattern('${pattern}') names no single event type: give its consumer a name with @EventPattern(pattern, { consumer })`,
      );
    return `${this.options.consumerPrefix}-${parsed.eventType}`;
  }

  /** Runs the Nest handler (and any chained to the same pattern); promises and observables alike. */
  private async invoke(
    handler: MessageHandler,
    payload: EventEnvelope | readonly EventEnvelope[],
    context: JetStreamContext | JetStreamBatchContext,
  ): Promise<void> {
    await this.runWithProcessingHooks(context, async (runEndHook) => {
      try {
        const result: unknown = await handler(payload, context);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      } finally {
        runEndHook();
      }
    });
  }

  private forwardConnectionStatus(): void {
    const statuses = this.options.connection.status();
    this.statuses = statuses;
    void (async () => {
      for await (const status of statuses)
        for (const callback of this.listeners.get(status.type) ?? []) callback(status);
    })();
  }
}
