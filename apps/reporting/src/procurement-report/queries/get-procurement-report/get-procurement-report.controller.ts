import { Route, ZodQuery } from '@fleet/service-kit';
import { Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyWithReport } from '../../../report-kit/csv';
import { REPORT_READERS } from '../../../report-kit/reports.roles';
import { ProcurementReportView } from '../../read-model/procurement-report.views';
import { procurementReportCsv } from '../../read-model/procurement-report.csv';
import { ProcurementReportReadModel } from '../../read-model/procurement-report.read-model';
import { GetProcurementReportQuery } from './get-procurement-report.query';

@Controller('reports')
export class GetProcurementReportController {
  constructor(private readonly readModel: ProcurementReportReadModel) {}

  @Route({
    method: 'GET',
    path: 'procurement',
    roles: REPORT_READERS,
    tag: 'reports',
    response: ProcurementReportView,
    responseDescription: 'The report as JSON; as CSV (text/csv) with `?format=csv` or `Accept: text/csv`',
    summary:
      'The pipeline per order and model (ordered, cancelled, not dispatched, in transit with ETA and delays, received, damaged) ' +
      'and the units still to come per month (JSON or CSV)',
  })
  async get(
    @ZodQuery(GetProcurementReportQuery) query: GetProcurementReportQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProcurementReportView | string> {
    const report = await this.readModel.report(query.facilityId);
    return replyWithReport(request, reply, query.format, report, {
      name: 'procurement',
      of: procurementReportCsv,
    });
  }
}
