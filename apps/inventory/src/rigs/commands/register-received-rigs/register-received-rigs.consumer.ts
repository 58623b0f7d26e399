import { ShipmentUnitsReceived, type EventEnvelope } from '@fleet/contracts';
import { JetStreamContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { registerReceivedRigs } from './register-received-rigs';

/**
 * The saga step procurement → inventory: each `ShipmentUnitsReceived` (any facility) registers
 * its units as rigs in the consumer's transaction, which commits with the inbox row before the
 * ack. A failure rolls both back and the message is redelivered; an unreadable event is
 * dead-lettered.
 */
@Controller()
export class RegisterReceivedRigsConsumer {
  private readonly logger = new Logger(RegisterReceivedRigsConsumer.name);

  @OnEvent(ShipmentUnitsReceived)
  async handle(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    const { registered, skipped } = await registerReceivedRigs(context.session, envelope);
    this.logger.log(
      `${envelope.type} ${envelope.eventId} (${envelope.facilityId}, delivery ${context.deliveryCount}): ` +
        `registered ${registered} rigs${skipped > 0 ? `, skipped ${skipped} registered before` : ''}`,
    );
  }
}
