import { ProblemException, RequestContext, Route } from '@fleet/service-kit';
import { Body, Controller, Headers, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { PayoutView } from '../../read-model/period.views';
import { PERIOD_WRITERS } from '../../periods.roles';
import { RecordPayoutsHandler } from '../record-payouts.handler';
import { parsePayoutsCsv } from './payouts-csv.parser';

export const PayoutImportView = z.object({
  recorded: z.number().int().describe('payouts booked now'),
  repeated: z.number().int().describe('lines whose (pool, txid) was booked before: answered as first booked'),
  payouts: z.array(PayoutView),
});
export type PayoutImportView = z.infer<typeof PayoutImportView>;

@Controller('payouts')
export class ImportPayoutsController {
  constructor(private readonly payouts: RecordPayoutsHandler) {}

  @Route({
    method: 'POST',
    path: 'import',
    status: 200,
    roles: PERIOD_WRITERS,
    tag: 'payouts',
    summary: 'Book a pool statement (CSV), all or nothing',
    description:
      '`text/csv` with the header `facilityId,pool,coin,amount,paidAt,periodStart,periodEnd,txid` (any order), one ' +
      'payout a line. If any line is bad, nothing is booked and the problem lists every bad line in `details.lines` ' +
      '(`line` is the CSV line, header = 1). A (pool, txid) booked before is answered as first booked.',
    response: PayoutImportView,
    errors: {
      400: 'Bad lines (every one listed), a bad header, or an empty file',
      413: 'A body larger than BODY_LIMIT_BYTES',
    },
    largeBody: true,
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string' } })
  async import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PayoutImportView> {
    const mediaType = contentType?.split(';')[0].trim().toLowerCase();
    if (mediaType !== 'text/csv' || typeof body !== 'string')
      throw new ProblemException({
        status: 415,
        code: 'unsupported-media-type',
        detail: `send the pool statement as text/csv, not ${mediaType ?? 'a body without a content-type'}`,
      });
    const { payouts, recorded } = await this.payouts.record(parsePayoutsCsv(body), context);
    reply.status(200);
    return { recorded, repeated: payouts.length - recorded, payouts: [...payouts] };
  }
}
