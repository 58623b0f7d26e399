import { businessNow, Route, ZodQuery } from '@fleet/service-kit';
import { Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyWithReport } from '../../../report-kit/csv';
import { REPORT_READERS } from '../../../report-kit/reports.roles';
import { PowerReportView } from '../../read-model/power-report.views';
import { powerReportCsv } from '../../read-model/power-report.csv';
import { PowerReportReadModel } from '../../read-model/power-report.read-model';
import { GetPowerReportQuery, MAX_POWER_INTERVALS } from './get-power-report.query';

const STEP_MS = { hour: 3_600_000, day: 86_400_000 } as const;
const DEFAULT_SPAN = { hour: 24, day: 30 } as const;

@Controller('reports')
export class GetPowerReportController {
  constructor(private readonly readModel: PowerReportReadModel) {}

  @Route({
    method: 'GET',
    path: 'power',
    roles: REPORT_READERS,
    tag: 'reports',
    response: PowerReportView,
    responseDescription: 'The report as JSON; as CSV (text/csv) with `?format=csv` or `Accept: text/csv`',
    summary:
      'Capacity in force, allocated load at the meter and utilisation %, now and per hour or day; curtailed kW and the ' +
      'forecast shortfall are null until power publishes them (JSON or CSV)',
    errors: {
      400: `A bad window: \`from\` not before \`to\`, or more than ${MAX_POWER_INTERVALS} intervals`,
    },
  })
  async get(
    @ZodQuery(GetPowerReportQuery) query: GetPowerReportQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PowerReportView | string> {
    const now = businessNow();
    const step = STEP_MS[query.interval];
    const to = query.to === undefined ? new Date(Math.ceil(now.getTime() / step) * step) : new Date(query.to);
    const from =
      query.from === undefined
        ? new Date(to.getTime() - DEFAULT_SPAN[query.interval] * step)
        : new Date(query.from);
    const report = await this.readModel.report(query.facilityId, { from, to, interval: query.interval, now });
    return replyWithReport(request, reply, query.format, report, { name: 'power', of: powerReportCsv });
  }
}
