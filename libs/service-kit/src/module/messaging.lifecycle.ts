import {
  Inject,
  Injectable,
  Logger,
  type INestApplication,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CustomStrategy } from '@nestjs/microservices';
import type { EventStore } from '@fleet/event-sourcing';
import {
  InboxPruner,
  JetStreamTransport,
  MessagingNames,
  type JetStreamEventConsumer,
  OutboxRelay,
  ensureContextStream,
  ensureDeadLetterStream,
  ensureHeadquartersStreams,
  type HeadquartersStreams,
} from '@fleet/messaging';
import type { FleetConfig } from '../config/fleet-config';
import { FleetMetrics } from '../metrics/fleet-metrics';
import { AppendedEvents } from './appended-events';
import type { FleetServiceOptions } from './fleet-service.options';
import { EVENT_STORE, FLEET_CONFIG, FLEET_SERVICE_OPTIONS, HEADQUARTERS, NATS_CONNECTION } from './tokens';

/** Part of the shutdown budget kept back for stopping the relay after its flush. */
const RELAY_STOP_RESERVE_MS = 1000;

/**
 * The service's side of JetStream: its context's stream and the dead-letter stream (set up at
 * start-up, idempotently), the outbox relay (started once the app is up, woken after every
 * append), the transport that runs its `@EventPattern` handlers, and the pruning of their inbox.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Messaging');
  private outboxRelay: OutboxRelay | undefined;
  private transport: JetStreamTransport | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly pruner: InboxPruner;

  constructor(
    @Inject(FLEET_SERVICE_OPTIONS) private readonly options: FleetServiceOptions,
    @Inject(FLEET_CONFIG) private readonly config: FleetConfig,
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly names: MessagingNames,
    private readonly metrics: FleetMetrics,
    private readonly appended: AppendedEvents,
    @Inject(HEADQUARTERS) private readonly headquarters: HeadquartersStreams | null,
  ) {
    this.pruner = new InboxPruner(store, {
      retentionMs: config.inboxRetentionMs,
      logger: new Logger('InboxPruner'),
    });
  }

  /** The relay, once started (undefined for a service without a context of its own). */
  get relay(): OutboxRelay | undefined {
    return this.outboxRelay;
  }

  /** The running `@EventPattern` consumers (none before the transport listens, or after it closed). */
  get consumers(): readonly JetStreamEventConsumer[] {
    return this.transport?.eventConsumers ?? [];
  }

  /** Deletes inbox rows older than `INBOX_RETENTION_MS`, every 10 minutes once the app is up. */
  get inboxPruner(): InboxPruner {
    return this.pruner;
  }

  /** Streams exist before anything publishes to them or a consumer binds to them. */
  async onModuleInit(): Promise<void> {
    const jsm = await jetstreamManager(this.nats);
    const replicas = this.config.nats.streamReplicas;
    if (this.options.context)
      await ensureContextStream(jsm, {
        ...this.config.nats.streamLimits,
        context: this.options.context,
        names: this.names,
        replicas,
        logger: this.logger,
      });
    await ensureDeadLetterStream(jsm, { names: this.names, replicas });
    // At headquarters the service's consumers read the streams that copy every facility's.
    if (this.headquarters) {
      await ensureHeadquartersStreams(jsm, this.headquarters, { replicas });
      this.logger.log(
        `headquarters: reading ${this.headquarters.facilities.map(({ facilityId, domain }) => `${facilityId} (domain ${domain})`).join(', ')}`,
      );
    }
  }

  onApplicationBootstrap(): void {
    this.pruner.start();
    if (!this.options.context) return;
    const relay = new OutboxRelay({
      store: this.store,
      connection: this.nats,
      context: this.options.context,
      names: this.names,
      restartMarginMs: this.config.nats.relayRepublishMarginMs,
      batchMaxBytes: this.config.feed.relayBatchMaxBytes,
      metrics: this.metrics,
      logger: new Logger('OutboxRelay'),
    });
    this.outboxRelay = relay;
    this.unsubscribe = this.appended.subscribe(() => relay.notify());
    relay.start();
  }

  /**
   * Runs the app's `@EventPattern` handlers on JetStream (one durable consumer each,
   * `<service>-<EventType>`); with none it starts nothing. Nest closes it after HTTP at shutdown.
   */
  connectTransport(app: INestApplication): void {
    const transport = new JetStreamTransport({
      connection: this.nats,
      store: this.store,
      consumerPrefix: this.options.service,
      names: this.names,
      ackWaitMs: this.config.nats.ackWaitMs,
      streamLimits: this.config.nats.streamLimits,
      headquarters: this.headquarters ?? undefined,
      metrics: this.metrics,
      logger: new Logger('JetStreamTransport'),
    });
    this.transport = transport;
    // Inherits the app's global enhancers: for event handlers the guard and the idempotency
    // interceptor step aside and the problem filter rethrows, so a handler's error reaches the
    // transport as it is (to retry or dead-letter it). Nest's default RPC filter would replace it
    // with "Internal server error"; filters given to the microservice after it is connected are
    // ignored (its handlers are already built).
    app.connectMicroservice<CustomStrategy>({ strategy: transport }, { inheritAppConfig: true });
  }

  /**
   * Stops the inbox pruning, publishes what is committed (within `budgetMs`), then stops the relay
   * and hands back its lease. An instance standing by has nothing to publish (the lease holder does)
   * and stops at once.
   */
  async stop(budgetMs: number): Promise<void> {
    this.unsubscribe?.();
    // Between two of its short batches: the database closes after this.
    await this.pruner.stop();
    const relay = this.outboxRelay;
    if (!relay) return;
    try {
      const flushed = await relay.flush(Math.max(1, budgetMs - RELAY_STOP_RESERVE_MS));
      if (flushed === 'standby')
        this.logger.log('the relay was standing by: the instance holding its lease publishes the rest');
    } catch (error) {
      this.logger.warn(
        `stopping the relay before it published everything (the next start resumes): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await relay.stop();
  }
}
