import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EnergyCostAccrual } from './energy-cost-accrual';

/**
 * How often each instance looks for days to publish. A day is published within this long after
 * midnight UTC; every instance may look, since a day is published once whoever finds it first.
 */
const ROUND_INTERVAL_MS = 5 * 60_000;

/** Runs `EnergyCostAccrual.accrueDueDays` at start (catching up days missed while down) and every round. */
@Injectable()
export class EnergyCostAccrualSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EnergyCostAccrualSchedule.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly accrual: EnergyCostAccrual) {}

  onApplicationBootstrap(): void {
    void this.runRound();
    this.timer = setInterval(() => void this.runRound(), ROUND_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the database closes: no new round, and the one in progress finished. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
  }

  private runRound(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.round ??= this.accrual
      .accrueDueDays(new Date())
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
      });
    return this.round;
  }
}
