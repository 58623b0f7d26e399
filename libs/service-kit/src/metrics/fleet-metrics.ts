import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@fleet/event-sourcing';
import type { ConsumerOutcome, DeadLetterReason, MessagingMetrics } from '@fleet/messaging';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FleetConfig } from '../config/fleet-config';
import { FLEET_CONFIG } from '../module/tokens';

/**
 * The service's Prometheus metrics, on a registry of its own (several apps in one test process
 * never share a metric). Also the prom-client implementation of messaging's `MessagingMetrics`.
 */
@Injectable()
export class FleetMetrics implements MessagingMetrics {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly appended = new Counter({
    name: 'fleet_events_appended_total',
    help: 'Events committed to the event store, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  private readonly published = new Counter({
    name: 'fleet_events_published_total',
    help: 'Events the outbox relay got a JetStream ack for, by stream',
    labelNames: ['stream'] as const,
    registers: [this.registry],
  });
  private readonly relayLagGauge = new Gauge({
    name: 'fleet_relay_lag_events',
    help: 'Events committed to the store and not yet published by the outbox relay',
    labelNames: ['stream'] as const,
    registers: [this.registry],
  });
  private readonly consumerLagGauge = new Gauge({
    name: 'fleet_consumer_lag_messages',
    help: 'Messages matching a consumer that JetStream has not delivered yet',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  private readonly consumerStalledGauge = new Gauge({
    name: 'fleet_consumer_stalled',
    help: 'Whether a consumer is stuck on a message it can neither finish nor dead-letter (1) or not (0)',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  private readonly feedHeldBackEvents = new Gauge({
    name: 'fleet_feed_held_back_events',
    help: 'Committed events the event feed (and so the relay) cannot read yet: an older transaction is still open',
    registers: [this.registry],
  });
  private readonly feedHeldBackSeconds = new Gauge({
    name: 'fleet_feed_held_back_seconds',
    help: 'Age of the oldest open transaction that holds the event feed back (0 when nothing is held back)',
    registers: [this.registry],
  });
  private readonly processing = new Histogram({
    name: 'fleet_message_processing_seconds',
    help: 'Time to process one consumed message, by consumer and outcome',
    labelNames: ['consumer', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: 'fleet_dead_letters_total',
    help: 'Messages a consumer gave up on and sent to the dead-letter stream',
    labelNames: ['consumer', 'reason'] as const,
    registers: [this.registry],
  });

  constructor(@Inject(FLEET_CONFIG) config: FleetConfig) {
    this.registry.setDefaultLabels({ service: config.service });
    collectDefaultMetrics({ register: this.registry });
  }

  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  eventsAppended(events: readonly RecordedEvent[]): void {
    for (const event of events) this.appended.inc({ type: event.type });
  }

  eventsPublished(stream: string, count: number): void {
    this.published.inc({ stream }, count);
  }

  relayLag(stream: string, events: number): void {
    this.relayLagGauge.set({ stream }, events);
  }

  consumerLag(consumer: string, pending: number): void {
    this.consumerLagGauge.set({ consumer }, pending);
  }

  consumerStalled(consumer: string, stalled: boolean): void {
    this.consumerStalledGauge.set({ consumer }, stalled ? 1 : 0);
  }

  feedHeldBack(events: number, seconds: number): void {
    this.feedHeldBackEvents.set(events);
    this.feedHeldBackSeconds.set(seconds);
  }

  messageProcessed(consumer: string, outcome: ConsumerOutcome, durationMs: number): void {
    this.processing.observe({ consumer, outcome }, durationMs / 1000);
  }

  deadLettered(consumer: string, reason: DeadLetterReason): void {
    this.deadLetters.inc({ consumer, reason });
  }
}
