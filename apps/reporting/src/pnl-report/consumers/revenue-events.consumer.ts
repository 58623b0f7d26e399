import type { EventEnvelope } from '@fleet/contracts';
import { JetStreamContext, OnContextEvents } from '@fleet/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { foldDeliveredEvent } from '../../report-kit/fold-event';
import { foldsOf } from '../../rebuild/report-sources';

/** The P&L report from revenue's stream, in its order: durable `reporting-revenue`. */
@Controller()
export class RevenueEventsConsumer {
  @OnContextEvents('revenue')
  fold(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return foldDeliveredEvent(envelope, context, foldsOf('revenue'));
  }
}
