import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `report_documents`: one document of one report fold, in one generation of the reports. */
export interface ReportDocumentRow {
  /** Live reports read the active generation; a rebuild writes the next one aside, then swaps. */
  generation: number;
  kind: string;
  key: string;
  facilityId: string;
  data: unknown;
}

export const ReportDocumentEntity = new EntitySchema<ReportDocumentRow>({
  name: 'ReportDocumentEntity',
  tableName: 'report_documents',
  columns: {
    generation: { type: 'integer', primary: true, primaryKeyConstraintName: 'pk_report_documents' },
    kind: { type: 'varchar', length: 32, primary: true, primaryKeyConstraintName: 'pk_report_documents' },
    key: { type: 'varchar', length: 200, primary: true, primaryKeyConstraintName: 'pk_report_documents' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    data: { type: 'simple-json' },
  },
  // A report reads one kind of one facility (or every facility) of the active generation.
  indices: [{ name: 'ix_report_documents_facility', columns: ['generation', 'kind', 'facilityId'] }],
});

export const reportDocumentsTable = tableOf(ReportDocumentEntity);
