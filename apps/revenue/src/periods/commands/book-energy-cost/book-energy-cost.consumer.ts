import { EnergyCostAccrued, type EventEnvelope } from '@fleet/contracts';
import { JetStreamContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PeriodsReadModel } from '../../read-model/periods.read-model';
import { bookEnergyCost } from './book-energy-cost';

/**
 * Power → revenue: each `EnergyCostAccrued` (any facility) is booked in the consumer's transaction,
 * which commits with the inbox row before the ack; a failure rolls both back and the message is
 * redelivered, an unreadable event is dead-lettered.
 */
@Controller()
export class BookEnergyCostConsumer {
  private readonly logger = new Logger(BookEnergyCostConsumer.name);

  constructor(private readonly readModel: PeriodsReadModel) {}

  @OnEvent(EnergyCostAccrued)
  async handle(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    const outcome = await bookEnergyCost(context.session, this.readModel, envelope);
    this.logger.log(
      `${envelope.type} ${envelope.eventId} (${envelope.facilityId}, delivery ${context.deliveryCount}): ${outcome}`,
    );
  }
}
