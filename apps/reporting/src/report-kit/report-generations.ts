import { decodeRow, insertRows, selectList, selectRows, updateRows } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { reportCheckpointsTable, type ReportCheckpointRow } from './report-checkpoint.entity';
import { reportGenerationsTable, type ReportGenerationRow } from './report-generation.entity';

/** The generation the reports answer from and the consumers fold into (the migration creates the first). */
export async function activeGeneration(manager: EntityManager): Promise<number> {
  const rows: { generation: number | string }[] = await manager.query(
    `SELECT generation FROM report_generations WHERE status = 'active' ORDER BY generation DESC LIMIT 1`,
  );
  const found = rows[0];
  if (!found) throw new Error('report_generations has no active generation: run the reporting migrations');
  return Number(found.generation);
}

export async function generations(manager: EntityManager): Promise<ReportGenerationRow[]> {
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT ${selectList(manager, reportGenerationsTable)} FROM report_generations ORDER BY generation`,
  );
  return rows.map((raw) => decodeRow(reportGenerationsTable, raw));
}

export async function checkpointsOf(
  manager: EntityManager,
  generation: number,
): Promise<ReportCheckpointRow[]> {
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT ${selectList(manager, reportCheckpointsTable)} FROM report_checkpoints WHERE generation = ${Number(generation)} ORDER BY consumer`,
  );
  return rows.map((raw) => decodeRow(reportCheckpointsTable, raw));
}

/** Moves a consumer's checkpoint in a generation forward by the events just folded. */
export async function advanceCheckpoint(
  manager: EntityManager,
  checkpoint: Omit<ReportCheckpointRow, 'events' | 'updatedAt'> & { readonly folded: number },
): Promise<void> {
  const key = { generation: checkpoint.generation, consumer: checkpoint.consumer };
  const [stored] = await selectRows(manager, reportCheckpointsTable, ['generation', 'consumer'], [key]);
  const row: ReportCheckpointRow = {
    ...key,
    position: maxOf(stored?.position, checkpoint.position),
    streamSequence: maxOf(stored?.streamSequence, checkpoint.streamSequence),
    events: (stored?.events ?? 0) + checkpoint.folded,
    updatedAt: new Date().toISOString(),
  };
  if (stored) await updateRows(manager, reportCheckpointsTable, [row]);
  else await insertRows(manager, reportCheckpointsTable, [row]);
}

function maxOf(stored: string | undefined, next: string): string {
  return stored !== undefined && BigInt(stored) > BigInt(next) ? stored : next;
}
