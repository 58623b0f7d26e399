import { MessagingLifecycle, Route } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { RebuildRunner } from '../../../rebuild/rebuild-runner';
import { REPORT_READERS } from '../../../report-kit/reports.roles';
import { ReportStatusReadModel, type ReportStatus } from '../../report-status.read-model';

@Controller('reports')
export class GetReportStatusController {
  constructor(
    private readonly readModel: ReportStatusReadModel,
    private readonly messaging: MessagingLifecycle,
    private readonly rebuild: RebuildRunner,
  ) {}

  @Route({
    method: 'GET',
    path: 'status',
    roles: REPORT_READERS,
    tag: 'reports',
    summary:
      "Per source stream, its consumer's position (last position and stream sequence folded), its lag (messages not yet " +
      'delivered), and the state of the reports’ generations (the active one, a rebuild in progress or its failure)',
  })
  get(): Promise<ReportStatus> {
    return this.readModel.status(this.messaging.consumers, this.rebuild.state);
  }
}
