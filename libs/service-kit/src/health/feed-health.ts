import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, FeedBlocker } from '@fleet/event-sourcing';
import type { FleetConfig } from '../config/fleet-config';
import { FleetMetrics } from '../metrics/fleet-metrics';
import { EVENT_STORE, FLEET_CONFIG } from '../module/tokens';

/** The event feed as one look at the database found it. */
export interface FeedStatus {
  /** Committed events the feed (and so the relay) cannot read yet. */
  readonly heldBackEvents: number;
  /** How long the transaction holding them back has been open; 0 when none are held back. */
  readonly heldBackSeconds: number;
  /** Set once they have been held back longer than `FEED_HELD_BACK_LIMIT_MS`: what, and by whom. */
  readonly problem?: string;
}

/**
 * Watches the feed for events held back by an open transaction (PostgreSQL's gap-free feed reads
 * nothing committed after the oldest transaction still open anywhere in the cluster). Looked at on
 * every readiness probe and metrics scrape, by every replica: the cause is the database's, not the
 * relay's, and a standby replica sees it as well as the active one.
 */
@Injectable()
export class FeedHealth {
  private looking: Promise<FeedStatus> | undefined;
  /**
   * When this process first saw the current blocker: its age where the database hides it (the
   * service's role may not read other roles' sessions without pg_read_all_stats).
   */
  private firstSeen: { readonly transactionId: string; readonly at: number } | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FLEET_CONFIG) private readonly config: FleetConfig,
    private readonly metrics: FleetMetrics,
  ) {}

  /** Looks at the feed once (callers at the same moment share the look) and updates its gauges. */
  status(): Promise<FeedStatus> {
    this.looking ??= this.look().finally(() => (this.looking = undefined));
    return this.looking;
  }

  private async look(): Promise<FeedStatus> {
    const held = await this.store.heldBack();
    if (held.events === 0) {
      this.firstSeen = undefined;
      this.metrics.feedHeldBack(0, 0);
      return { heldBackEvents: 0, heldBackSeconds: 0 };
    }
    const seconds = this.ageOf(held.blocker);
    this.metrics.feedHeldBack(held.events, seconds);
    const status = { heldBackEvents: held.events, heldBackSeconds: seconds };
    if (seconds * 1000 < this.config.feed.heldBackLimitMs) return status;
    return { ...status, problem: describeHold(held.events, seconds, held.blocker) };
  }

  private ageOf(blocker: FeedBlocker | undefined): number {
    const transactionId = blocker?.transactionId ?? 'unknown';
    if (this.firstSeen?.transactionId !== transactionId) this.firstSeen = { transactionId, at: Date.now() };
    return blocker?.ageSeconds ?? (Date.now() - this.firstSeen.at) / 1000;
  }
}

/** One line an operator can act on: what is held back, for how long, and which session to end. */
function describeHold(events: number, seconds: number, blocker: FeedBlocker | undefined): string {
  const held = `${events} committed events held back for ${Math.round(seconds)} s`;
  if (!blocker) return `${held} by a transaction that has just ended`;
  const where = blocker.database === undefined ? '' : ` in database ${blocker.database}`;
  if (blocker.pid === undefined)
    return `${held} by prepared transaction ${blocker.transactionId}${where}: COMMIT PREPARED or ROLLBACK PREPARED it`;
  const details = [
    blocker.state,
    blocker.application === undefined ? undefined : `application "${blocker.application}"`,
  ].filter((detail) => detail !== undefined);
  return `${held} by transaction ${blocker.transactionId} (pid ${blocker.pid}${
    details.length > 0 ? `, ${details.join(', ')}` : ''
  })${where}: end it, e.g. SELECT pg_terminate_backend(${blocker.pid})`;
}
