import { ShipmentUnitsReceived, type EventEnvelope } from '@fleet/contracts';
import { JetStreamBatchContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { registerReceivedRigsInRun } from './register-received-rigs';

/**
 * Receipts chunk their units (1,000 per event): a 12,000-unit receipt is 12 messages. Taking the
 * messages at hand together makes it one or two transactions (one inbox claim, one append, one
 * commit each) instead of twelve; 20 chunks at most keeps a run's transaction at 20,000 rigs.
 */
const REGISTER_RECEIPTS = { batch: true, batchSize: 20 } as const;

/**
 * The saga step procurement → inventory: each `ShipmentUnitsReceived` (any facility) registers
 * its units as rigs in the consumer's transaction, which commits with the inbox rows of the run
 * before the acks. A failure rolls all of it back and the run's messages are handled again one by
 * one (a passing failure is retried, an unreadable event dead-lettered, the others registered).
 */
@Controller()
export class RegisterReceivedRigsConsumer {
  private readonly logger = new Logger(RegisterReceivedRigsConsumer.name);

  @OnEvent(ShipmentUnitsReceived, REGISTER_RECEIPTS)
  async handle(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    const registrations = await registerReceivedRigsInRun(context.session, envelopes);
    registrations.forEach(({ registered, skipped }, index) => {
      const envelope = envelopes[index];
      const deliveryCount = context.messages[index]?.info.deliveryCount;
      this.logger.log(
        `${envelope.type} ${envelope.eventId} (${envelope.facilityId}, delivery ${deliveryCount}): ` +
          `registered ${registered} rigs${skipped > 0 ? `, skipped ${skipped} registered before` : ''}`,
      );
    });
  }
}
