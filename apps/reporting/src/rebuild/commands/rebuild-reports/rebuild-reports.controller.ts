import { Route } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { REPORT_ADMINS } from '../../../report-kit/reports.roles';
import { RebuildRunner } from '../../rebuild-runner';

export const RebuildStartedView = z.object({
  generation: z.number().int(),
  status: z.string().describe('where to follow it: GET /reports/status'),
});
export type RebuildStartedView = z.infer<typeof RebuildStartedView>;

@Controller('admin')
export class RebuildReportsController {
  constructor(private readonly runner: RebuildRunner) {}

  @Route({
    method: 'POST',
    path: 'rebuild',
    roles: REPORT_ADMINS,
    tag: 'admin',
    status: 202,
    summary:
      'Rebuilds every report from the start of the streams (and the services’ GET /events where retention cut them) ' +
      'into a new generation, then swaps it in: the reports answer from the old one until then',
    response: RebuildStartedView,
    errors: { 409: 'A rebuild is already under way' },
  })
  async rebuild(): Promise<RebuildStartedView> {
    const generation = await this.runner.start();
    return { generation, status: '/reports/status' };
  }
}
