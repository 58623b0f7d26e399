import { Injectable } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../../report-kit/report-documents.read-model';
import { procurementOrderFold, type ProcurementOrderDoc } from './procurement-order.fold';
import { procurementReportOf, type ProcurementReport } from './procurement-report';

@Injectable()
export class ProcurementReportReadModel {
  constructor(private readonly documents: ReportDocumentsReadModel) {}

  report(facilityId: string | undefined): Promise<ProcurementReport> {
    return this.documents.read(async (read) => {
      const orders = await read<ProcurementOrderDoc>(procurementOrderFold.kind, facilityId);
      return procurementReportOf(
        orders.map((order) => ({ orderId: order.key, facilityId: order.facilityId, order: order.data })),
      );
    });
  }
}
