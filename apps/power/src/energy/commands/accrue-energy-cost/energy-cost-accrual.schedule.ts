import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { BusinessClock } from '@fleet/service-kit';
import { EnergyCostAccrual } from './energy-cost-accrual';

/**
 * How often each instance looks for days to publish. A day is published within this long after
 * midnight UTC; every instance may look, since a day is published once whoever finds it first.
 */
const ROUND_INTERVAL_MS = 5 * 60_000;

/**
 * Runs `EnergyCostAccrual.accrueDueDays` at start (catching up days missed while down), every
 * round, and at once when a controlled business clock jumps (a test moving a day on).
 */
@Injectable()
export class EnergyCostAccrualSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EnergyCostAccrualSchedule.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;
  /** A jump during a round: one more round after it, since the round in progress read the clock before. */
  private again = false;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly accrual: EnergyCostAccrual,
    private readonly clock: BusinessClock,
  ) {}

  onApplicationBootstrap(): void {
    this.stopListening = this.clock.onJump(() => {
      if (this.round) this.again = true;
      else void this.runRound();
    });
    void this.runRound();
    this.timer = setInterval(() => void this.runRound(), ROUND_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the database closes: no new round, and the one in progress finished. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    clearInterval(this.timer);
    await this.round;
  }

  private runRound(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.round ??= this.accrual
      .accrueDueDays(this.clock.now())
      .then((published) => {
        if (published > 0) this.logger.log(`published ${published} days of energy cost`);
      })
      .catch((error: unknown) =>
        this.logger.warn(
          `publishing energy cost failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        this.round = undefined;
        if (this.again) {
          this.again = false;
          void this.runRound();
        }
      });
    return this.round;
  }
}
