import { randomUUID } from 'node:crypto';
import { handleCommands, type EventStore, type StreamCommand } from '@fleet/event-sourcing';
import { AppendedEvents, BusinessClock, EVENT_STORE } from '@fleet/service-kit';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  PAYOUT_VARIANCE_STREAM_TYPE,
  payoutVarianceDecider,
  payoutVarianceStreamId,
  type FlagPayoutVariance,
  type PayoutVarianceState,
} from '../../domain/payout-variance.decider';
import { reconcile } from '../../domain/reconcile';
import { ReconciliationReadModel } from '../../read-model/reconciliation.read-model';
import { RECONCILIATION_SETTINGS, type ReconciliationSettings } from '../../reconciliation-settings';

const FLAGGER_ACTOR = 'service:revenue';
/** Revenue's own events that change a figure reconciliation reads. */
const CHANGES_FIGURES: ReadonlySet<string> = new Set([
  'PayoutReceived',
  'HashValuePublished',
  'PoolAssigned',
]);
/** A burst of writes (a CSV import, a day's hash values) is followed by one sweep, this long after the last. */
const AFTER_WRITES_MS = 250;

/**
 * Publishes `PayoutVarianceFlagged` for every complete day and pool beyond tolerance in the open
 * months: every `RECONCILIATION_SWEEP_MS` (a day ending, or rig time from power's events, is what
 * completes most lines) and shortly after revenue appends an event that changes a figure (payouts,
 * hash values, pool shares). The variance stream's
 * decider appends only figures it has not flagged yet, so sweeping again costs reads, not events.
 */
@Injectable()
export class VarianceFlagger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(VarianceFlagger.name);
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  private stopListening: (() => void) | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: ReconciliationReadModel,
    @Inject(RECONCILIATION_SETTINGS) private readonly settings: ReconciliationSettings,
    private readonly appended: AppendedEvents,
    private readonly clock: BusinessClock,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.appended.subscribe((events) => {
      if (events.some((event) => CHANGES_FIGURES.has(event.type))) this.notify();
    });
    // A jump of a controlled clock (tests) ends days, which completes lines.
    this.stopListening = this.clock.onJump(() => this.notify());
    if (this.settings.sweepMs > 0)
      this.timer = setInterval(() => void this.sweep().catch(() => undefined), this.settings.sweepMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.stopListening?.();
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.running?.catch(() => undefined);
  }

  /** Something that reconciliation reads changed: sweep shortly. */
  notify(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.sweep().catch(() => undefined);
    }, AFTER_WRITES_MS);
  }

  /** Flags what the open months call for; one sweep at a time (a request meanwhile runs once more after it). */
  async sweep(now: Date = this.clock.now()): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.sweepOpenMonths(now);
    try {
      return await this.running;
    } catch (error) {
      this.logger.warn(`variance sweep failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.notify();
      }
    }
  }

  /** Flags one facility month; answers how many flags were appended. */
  async flagMonth(facilityId: string, month: string, now: Date = this.clock.now()): Promise<number> {
    const { tolerancePercent } = this.settings;
    const inputs = await this.readModel.inputsOf(facilityId, month, now.getTime(), tolerancePercent);
    const commands: StreamCommand<FlagPayoutVariance, PayoutVarianceState>[] = [];
    for (const line of reconcile(inputs)) {
      if (!line.flagged || line.expectedAmount === null || line.varianceAmount === null) continue;
      commands.push({
        streamId: payoutVarianceStreamId(facilityId, line.coin, line.pool, line.day),
        command: {
          type: 'FlagPayoutVariance',
          data: {
            facilityId,
            pool: line.pool,
            coin: line.coin,
            day: line.day,
            expectedAmount: line.expectedAmount.toString(),
            receivedAmount: line.receivedAmount.toString(),
            varianceAmount: line.varianceAmount.toString(),
            variancePercent: line.variancePercent,
            tolerancePercent,
          },
        },
      });
    }
    if (commands.length === 0) return 0;
    const { results } = await handleCommands(this.store, payoutVarianceDecider, commands, {
      streamType: PAYOUT_VARIANCE_STREAM_TYPE,
      metadata: {
        correlationId: randomUUID(),
        causationId: null,
        actor: FLAGGER_ACTOR,
        facilityId,
        occurredAt: now.toISOString(),
      },
    });
    return results.reduce((sum, result) => sum + result.events.length, 0);
  }

  private async sweepOpenMonths(now: Date): Promise<number> {
    let flagged = 0;
    for (const { facilityId, month } of await this.readModel.openMonths()) {
      if (this.stopped) break;
      flagged += await this.flagMonth(facilityId, month, now);
    }
    if (flagged > 0) this.logger.log(`${flagged} payout variances flagged`);
    return flagged;
  }
}
