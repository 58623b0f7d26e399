import { BusinessClock, type RequestContext } from '@fleet/service-kit';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { CurtailmentRow } from '../../read-model/curtailment.entity';
import { CurtailmentsReadModel } from '../../read-model/curtailments.read-model';
import { EndCurtailmentHandler } from '../end-curtailment/end-curtailment.handler';
import { FacilityCommandHandler } from '../facility-command.handler';
import { POWER_ACTOR } from '../follow-inventory-rigs/follow-inventory-rigs';

/**
 * At most this long between two looks at what is due: a timer lost (another instance scheduled the
 * curtailment, a clock jump, a failed start) still fires within it.
 */
export const CURTAILMENT_RECHECK_MS = 2000;

/**
 * The durable schedule of curtailments: starts each at its `startsAt` and ends each at its
 * `endsAt`, from `power_curtailments` (committed with the events), so a restart in between loses
 * nothing: on start-up every instance does what is overdue, then sets a timer for the next due
 * instant (at most `CURTAILMENT_RECHECK_MS` away). Instances racing for the same start or end do it
 * once: the facility's lock orders them, and the decider makes the second a no-op.
 */
@Injectable()
export class CurtailmentSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CurtailmentSchedule.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly curtailments: CurtailmentsReadModel,
    private readonly facilities: FacilityCommandHandler,
    private readonly endCurtailment: EndCurtailmentHandler,
    private readonly clock: BusinessClock,
  ) {}

  onApplicationBootstrap(): void {
    // A jump of a controlled clock (tests) may make starts and ends due at once.
    this.stopListening = this.clock.onJump(() => this.wake());
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Looks at what is due now (after a curtailment was scheduled here, say) rather than at the next timer. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async run(): Promise<void> {
    let next: Date | null = null;
    try {
      const now = this.clock.now();
      const { starts, ends } = await this.curtailments.due(now);
      for (const row of starts) await this.attempt('start', row, () => this.start(row));
      for (const row of ends)
        await this.attempt('end', row, () =>
          this.endCurtailment.execute(row.facilityId, row.id, 'scheduled', contextOf(row)),
        );
      next = await this.curtailments.nextDue();
    } catch (error) {
      this.logger.error(`curtailment schedule: ${(error as Error).message}`);
    }
    if (this.stopped) return;
    const delay = next === null ? CURTAILMENT_RECHECK_MS : next.getTime() - this.clock.nowMs();
    this.timer = setTimeout(() => this.wake(), Math.min(Math.max(delay, 0), CURTAILMENT_RECHECK_MS));
    this.timer.unref();
  }

  private async start(row: CurtailmentRow): Promise<void> {
    await this.facilities.execute(row.facilityId, contextOf(row), () =>
      Promise.resolve({
        type: 'StartCurtailment' as const,
        data: { facilityId: row.facilityId, curtailmentId: row.id, at: this.clock.now().toISOString() },
      }),
    );
  }

  /** One failure (a database hiccup) must not hold up the others; the next look retries it. */
  private async attempt(what: string, row: CurtailmentRow, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.logger.error(
        `could not ${what} curtailment ${row.id} (${row.facilityId}): ${(error as Error).message}`,
      );
    }
  }
}

/** The schedule's events are power's own, correlated by the curtailment they carry out. */
function contextOf(row: CurtailmentRow): RequestContext {
  return { correlationId: row.id, actor: POWER_ACTOR };
}
