import { decodeRow, dialectOf, selectList, SqlParameters } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { reportDocumentsTable, type ReportDocumentRow } from './report-document.entity';

/** The documents of one kind in one generation, of one facility or every facility, by key. */
export async function selectDocuments(
  manager: EntityManager,
  generation: number,
  kind: string,
  facilityId: string | undefined,
): Promise<ReportDocumentRow[]> {
  const params = new SqlParameters(dialectOf(manager.connection));
  const where = [`generation = ${params.add(generation)}`, `kind = ${params.add(kind)}`];
  if (facilityId !== undefined) where.push(`facility_id = ${params.add(facilityId)}`);
  const found: Record<string, unknown>[] = await manager.query(
    `SELECT ${selectList(manager, reportDocumentsTable)} FROM report_documents WHERE ${where.join(' AND ')} ORDER BY key`,
    params.values,
  );
  return found.map((raw) => decodeRow(reportDocumentsTable, raw));
}
