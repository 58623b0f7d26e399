import { FacilityId } from '@fleet/contracts';
import { Route, ZodParam, ZodQuery } from '@fleet/service-kit';
import { Controller, Headers, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { JournalView, toJournalEntries, toPeriodView } from '../../read-model/period.views';
import { PeriodsReadModel } from '../../read-model/periods.read-model';
import { PERIOD_READERS } from '../../periods.roles';
import { GetJournalQuery } from './get-journal.query';
import { journalCsv } from './journal-csv';

@Controller('facilities')
export class GetJournalController {
  constructor(private readonly readModel: PeriodsReadModel) {}

  @Route({
    method: 'GET',
    path: ':facilityId/journal',
    roles: PERIOD_READERS,
    tag: 'periods',
    summary: "The journal entries booked in a facility's month, as JSON or (Accept: text/csv) CSV",
    description:
      'Entries in booking order, each balanced in USD and per coin. CSV: one line per journal line with the header ' +
      '`entry_id,date,late_for,memo,account,coin,debit_usd,credit_usd,debit_amount,credit_amount,kwh,basis`.',
    response: JournalView,
  })
  @ApiProduces('application/json', 'text/csv')
  async get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodQuery(GetJournalQuery) query: GetJournalQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JournalView | string> {
    const [period, lines] = await Promise.all([
      this.readModel.findPeriod(facilityId, query.month),
      this.readModel.journalOf(facilityId, query.month),
    ]);
    const entries = toJournalEntries(lines);
    if (wantsCsv(accept)) {
      reply.type('text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="journal-${facilityId}-${query.month}.csv"`);
      return journalCsv(entries);
    }
    return { ...toPeriodView(facilityId, query.month, period), entries };
  }
}

/** CSV when the client asks for it ahead of JSON; JSON otherwise (no Accept, `*\/*`, application/json). */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}
