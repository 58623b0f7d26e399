import { parseCoinAmount, RecordPayoutRequest } from '@fleet/contracts';
import { RequestContext, Route, ZodBody } from '@fleet/service-kit';
import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { coinAmountRefused } from '../../domain/period.errors';
import { PayoutView } from '../../read-model/period.views';
import { PERIOD_WRITERS } from '../../periods.roles';
import { RecordPayoutsHandler } from '../record-payouts.handler';

@Controller('payouts')
export class RecordPayoutController {
  constructor(private readonly payouts: RecordPayoutsHandler) {}

  @Route({
    method: 'POST',
    roles: PERIOD_WRITERS,
    tag: 'payouts',
    summary: 'Book a pool payout',
    description:
      'The same (pool, txid) twice is the same payout: the second call answers the first (200), whatever else it sends. ' +
      'A payout whose UTC day has no fixing yet is booked in coin and valued when the fixing arrives; one whose month ' +
      'is closed is booked in the first open month as a late entry naming it.',
    response: PayoutView,
    errors: { 400: 'Malformed, or more decimals than the coin has' },
  })
  async record(
    @ZodBody(RecordPayoutRequest) body: RecordPayoutRequest,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PayoutView> {
    let amount: bigint;
    try {
      amount = parseCoinAmount(body.coin, body.amount);
    } catch (error) {
      throw coinAmountRefused(error, 'amount');
    }
    const { payouts, recorded } = await this.payouts.record([{ ...body, amount }], context);
    reply.status(recorded > 0 ? 201 : 200);
    return payouts[0];
  }
}
