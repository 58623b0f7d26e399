import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventStore } from '@fleet/event-sourcing';
import { MessagingNames, type HeadquartersStreams } from '@fleet/messaging';
import {
  EVENT_STORE,
  FLEET_CONFIG,
  HEADQUARTERS,
  NATS_CONNECTION,
  type FleetConfig,
} from '@fleet/service-kit';
import type { EventFeedClient } from './event-feed.client';
import { ReportRebuild, type RebuildProgress, type RebuildResult } from './report-rebuild';
import { reportSourcesAt, type ReportSource } from './report-sources';
import type { BoundedContext } from '@fleet/contracts';

export const EVENT_FEEDS = Symbol('EVENT_FEEDS');

/** A rebuild in this process: its progress while it runs, and how it ended. */
export interface RebuildState {
  readonly generation: number;
  readonly state: 'running' | 'done' | 'failed';
  readonly progress: RebuildProgress | null;
  readonly eventsPerSecond: number | null;
  readonly error: string | null;
}

/** Starts rebuilds in the running service (`POST /admin/rebuild`) and keeps their progress. */
@Injectable()
export class RebuildRunner {
  private readonly logger = new Logger('ReportRebuild');
  private readonly rebuild: ReportRebuild;
  /** At headquarters, every facility's copy of each stream; at a facility the default sources. */
  private readonly sources: readonly ReportSource[] | undefined;
  private current: RebuildState | undefined;
  private running: Promise<RebuildResult | undefined> | undefined;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(NATS_CONNECTION) nats: NatsConnection,
    names: MessagingNames,
    @Inject(EVENT_FEEDS) feeds: Partial<Record<BoundedContext, EventFeedClient>>,
    @Inject(FLEET_CONFIG) config: FleetConfig,
    @Inject(HEADQUARTERS) headquarters: HeadquartersStreams | null,
  ) {
    this.sources = headquarters ? reportSourcesAt(headquarters) : undefined;
    this.rebuild = new ReportRebuild(store, {
      nats,
      names,
      feeds,
      inboxPrefix: config.nats.security.inboxPrefix,
    });
  }

  get state(): RebuildState | undefined {
    return this.current;
  }

  /** Claims a generation (409 while another rebuild runs) and builds it in the background. */
  async start(): Promise<number> {
    const generation = await this.rebuild.claim();
    this.current = { generation, state: 'running', progress: null, eventsPerSecond: null, error: null };
    this.logger.log(`rebuilding the reports into generation ${generation}`);
    this.running = this.rebuild
      .run(generation, {
        sources: this.sources,
        onProgress: (progress) => {
          this.current = { generation, state: 'running', progress, eventsPerSecond: null, error: null };
        },
      })
      .then((result) => {
        this.current = {
          generation,
          state: 'done',
          progress: result,
          eventsPerSecond: result.eventsPerSecond,
          error: null,
        };
        this.logger.log(
          `generation ${generation} is active: ${result.eventsDone} events in ${Math.round(result.elapsedMs)} ms (${Math.round(result.eventsPerSecond)}/s)`,
        );
        return result;
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.current = {
          generation,
          state: 'failed',
          progress: this.current?.progress ?? null,
          eventsPerSecond: null,
          error: message,
        };
        this.logger.error(
          `rebuilding generation ${generation} failed, the reports stay as they were: ${message}`,
        );
        return undefined;
      });
    return generation;
  }

  /** The rebuild under way, finished (tests, shutdown). */
  async settled(): Promise<RebuildResult | undefined> {
    return this.running;
  }
}
