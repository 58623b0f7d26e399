import { Route } from '@fleet/service-kit';
import { Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REPORT_READERS } from '../../../report-kit/reports.roles';
import { LiveReportStreams } from '../../live-report-streams';

@Controller('reports')
export class WatchReportsController {
  constructor(private readonly streams: LiveReportStreams) {}

  @Route({
    method: 'GET',
    path: 'live',
    roles: REPORT_READERS,
    tag: 'reports',
    summary: 'Server-sent events naming the reports that changed, as they change (text/event-stream)',
    description:
      '`retry: 3000`, then `event: connected` (read the reports now), then `event: reports-changed` with ' +
      '`data: {"reports":["fleet",…]}` whenever what is committed changes (every replica sees every change), and a ' +
      '`: heartbeat` comment every 15 s. 503 (problem+json) past `REPORTING_LIVE_MAX_STREAMS` open streams or while ' +
      'the instance stops. Send the API key in the Authorization header (fetch), never in the URL.',
    responseDescription: 'A text/event-stream that lasts until the client leaves or the service stops',
  })
  watch(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.streams.stream(request, reply);
  }
}
