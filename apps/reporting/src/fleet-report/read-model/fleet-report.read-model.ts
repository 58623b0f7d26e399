import { Injectable } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../../report-kit/report-documents.read-model';
import { fleetReportOf, type FleetReport } from './fleet-report';
import { fleetRigFold, type FleetRigDoc } from './fleet-rig.fold';

@Injectable()
export class FleetReportReadModel {
  constructor(private readonly documents: ReportDocumentsReadModel) {}

  report(facilityId: string | undefined): Promise<FleetReport> {
    return this.documents.read(async (read) => {
      const rigs = await read<FleetRigDoc>(fleetRigFold.kind, facilityId);
      return fleetReportOf(
        facilityId ?? null,
        rigs.map((rig) => ({ ...rig.data, facilityId: rig.facilityId })),
      );
    });
  }
}
