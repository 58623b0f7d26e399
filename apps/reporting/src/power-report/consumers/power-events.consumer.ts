import type { EventEnvelope } from '@fleet/contracts';
import { JetStreamContext, OnContextEvents } from '@fleet/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { foldDeliveredEvent } from '../../report-kit/fold-event';
import { foldsOf } from '../../rebuild/report-sources';

/**
 * The power report from power's stream, in its order: durable `reporting-power`. Power's later
 * events (curtailments, meter readings, tariffs) arrive here too and are passed over until a fold
 * handles them; a rebuild then folds them from the start.
 */
@Controller()
export class PowerEventsConsumer {
  @OnContextEvents('power')
  fold(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return foldDeliveredEvent(envelope, context, foldsOf('power'));
  }
}
