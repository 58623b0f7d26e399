import { PostPricesRequest } from '@fleet/contracts';
import { RequestContext, Route, ZodBody } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { PRICE_WRITERS } from '../../prices.roles';
import { PostPricesHandler, type PostedPrices } from './post-prices.handler';

export const PostedPricesView = z.object({
  fixings: z.array(z.object({ coin: z.string(), date: z.string(), usd: z.string() })),
  fixed: z.number().int().describe('fixings new to the service'),
  valuedPayouts: z.number().int().describe('payouts booked in coin alone that were valued now'),
});

@Controller('prices')
export class PostPricesController {
  constructor(private readonly prices: PostPricesHandler) {}

  @Route({
    method: 'POST',
    status: 200,
    roles: PRICE_WRITERS,
    tag: 'prices',
    summary: "Post coins' USD fixings; payouts waiting for them are valued at once",
    description:
      'A fixing is final: the same figure again is a no-op (and values any payout still waiting for it), another ' +
      'figure for the same coin and day is a 409.',
    response: PostedPricesView,
    errors: {
      400: 'Malformed, or one coin and day given twice with two figures',
      409: 'A different fixing is set',
    },
  })
  post(
    @ZodBody(PostPricesRequest) body: PostPricesRequest,
    @RequestContext() context: RequestContext,
  ): Promise<PostedPrices> {
    return this.prices.post(body, context);
  }
}
