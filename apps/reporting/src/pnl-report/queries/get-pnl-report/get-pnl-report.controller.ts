import { Route, ZodQuery } from '@fleet/service-kit';
import { Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyWithReport } from '../../../report-kit/csv';
import { REPORT_READERS } from '../../../report-kit/reports.roles';
import { PnlReportView } from '../../read-model/pnl-report.views';
import { pnlReportCsv } from '../../read-model/pnl-report.csv';
import { PnlReportReadModel } from '../../read-model/pnl-report.read-model';
import { GetPnlReportQuery } from './get-pnl-report.query';

@Controller('reports')
export class GetPnlReportController {
  constructor(private readonly readModel: PnlReportReadModel) {}

  @Route({
    method: 'GET',
    path: 'pnl',
    roles: REPORT_READERS,
    tag: 'reports',
    response: PnlReportView,
    responseDescription: 'The report as JSON; as CSV (text/csv) with `?format=csv` or `Accept: text/csv`',
    summary:
      "Per facility and month, from revenue's events: revenue per coin and in USD, energy kWh and USD, margin, flags, " +
      'and whether the month is closed; money as decimal strings (JSON or CSV)',
  })
  async get(
    @ZodQuery(GetPnlReportQuery) query: GetPnlReportQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PnlReportView | string> {
    const report = await this.readModel.report(query.facilityId, query.month);
    return replyWithReport(request, reply, query.format, report, { name: 'pnl', of: pnlReportCsv });
  }
}
