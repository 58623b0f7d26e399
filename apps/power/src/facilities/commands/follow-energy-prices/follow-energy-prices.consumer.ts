import { EnergyPricesPosted, type EventEnvelope } from '@fleet/contracts';
import { JetStreamContext, metadataCausedBy, OnEvent, PoisonMessageError } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { businessNow } from '@fleet/service-kit';
import { IntervalPricesReadModel } from '../../read-model/interval-prices.read-model';
import { CurtailmentSchedule } from '../curtailment-schedule/curtailment-schedule';
import { POWER_ACTOR } from '../follow-inventory-rigs/follow-inventory-rigs';
import { PriceRuleCurtailments } from './price-rule-curtailments';

/**
 * The price rule follows power's own `EnergyPricesPosted` (durable consumer
 * `power-EnergyPricesPosted`): the prices are kept, and each interval priced above the strike gets
 * its curtailment, in the consumer's transaction with its inbox row.
 */
@Controller()
export class FollowEnergyPricesConsumer {
  private readonly logger = new Logger(FollowEnergyPricesConsumer.name);

  constructor(
    private readonly prices: IntervalPricesReadModel,
    private readonly priceRule: PriceRuleCurtailments,
    private readonly schedule: CurtailmentSchedule,
  ) {}

  @OnEvent(EnergyPricesPosted)
  async posted(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    const parsed = EnergyPricesPosted.schema.safeParse(envelope.data);
    if (envelope.schemaVersion !== EnergyPricesPosted.version || !parsed.success)
      throw new PoisonMessageError(
        `cannot read energy prices ${envelope.eventId} (v${envelope.schemaVersion})`,
      );
    const { facilityId, intervals } = parsed.data;
    const now = businessNow();
    await this.prices.record(context.session.manager, facilityId, intervals);
    const { scheduled, ended } = await this.priceRule.apply(
      context.session,
      facilityId,
      metadataCausedBy(envelope, POWER_ACTOR, now),
      now,
    );
    if (scheduled + ended > 0) {
      this.logger.log(`${facilityId}: the price rule scheduled ${scheduled} curtailments and ended ${ended}`);
      // After the inbox row commits; the schedule's re-check catches it should this run too early.
      setImmediate(() => this.schedule.wake());
    }
  }
}
