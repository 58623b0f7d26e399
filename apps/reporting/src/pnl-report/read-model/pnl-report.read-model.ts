import { Injectable } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../../report-kit/report-documents.read-model';
import { pnlMonthFold, type PnlMonthDoc } from './pnl-month.fold';
import { pnlMonthOf, type PnlMonth } from './pnl-report';

export interface PnlReport {
  readonly months: PnlMonth[];
}

@Injectable()
export class PnlReportReadModel {
  constructor(private readonly documents: ReportDocumentsReadModel) {}

  report(facilityId: string | undefined, month: string | undefined): Promise<PnlReport> {
    return this.documents.read(async (read) => {
      const months = await read<PnlMonthDoc>(pnlMonthFold.kind, facilityId);
      return {
        months: months
          .filter((doc) => month === undefined || doc.data.month === month)
          .map((doc) => pnlMonthOf(doc.data))
          .sort((a, b) =>
            a.month < b.month ? -1 : a.month > b.month ? 1 : a.facilityId < b.facilityId ? -1 : 1,
          ),
      };
    });
  }
}
