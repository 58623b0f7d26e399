import { Route, ZodQuery } from '@fleet/service-kit';
import { Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyWithReport } from '../../../report-kit/csv';
import { REPORT_READERS } from '../../../report-kit/reports.roles';
import { FleetReportView } from '../../read-model/fleet-report.views';
import { fleetReportCsv } from '../../read-model/fleet-report.csv';
import { FleetReportReadModel } from '../../read-model/fleet-report.read-model';
import { GetFleetReportQuery } from './get-fleet-report.query';

@Controller('reports')
export class GetFleetReportController {
  constructor(private readonly readModel: FleetReportReadModel) {}

  @Route({
    method: 'GET',
    path: 'fleet',
    roles: REPORT_READERS,
    tag: 'reports',
    response: FleetReportView,
    responseDescription: 'The report as JSON; as CSV (text/csv) with `?format=csv` or `Accept: text/csv`',
    summary:
      'Rigs by status, by model and by facility; installed against online; nominal hashrate online (JSON or CSV)',
  })
  async get(
    @ZodQuery(GetFleetReportQuery) query: GetFleetReportQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FleetReportView | string> {
    const report = await this.readModel.report(query.facilityId);
    return replyWithReport(request, reply, query.format, report, { name: 'fleet', of: fleetReportCsv });
  }
}
