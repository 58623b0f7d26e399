import { decodeRow, dialectOf, insertRows, selectList, selectRows, updateRows } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { reportCheckpointsTable, type ReportCheckpointRow } from './report-checkpoint.entity';
import { reportGenerationsTable, type ReportGenerationRow } from './report-generation.entity';

/**
 * The generation the reports answer from and the consumers fold into. `forFolding` share-locks it
 * on PostgreSQL until the transaction ends, so a rebuild's swap waits for the folds in flight and
 * the folds after it see the new generation (SQLite has one writer at a time anyway).
 */
export async function activeGeneration(
  manager: EntityManager,
  options: { forFolding?: boolean } = {},
): Promise<number> {
  const lock = options.forFolding && dialectOf(manager.connection) === 'postgres' ? ' FOR SHARE' : '';
  const rows: { generation: number | string }[] = await manager.query(
    `SELECT generation FROM report_active_generation WHERE id = 1${lock}`,
  );
  const found = rows[0];
  if (!found) throw new Error('report_active_generation is empty: run the reporting migrations');
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

/** A consumer's checkpoint in a generation, if it has folded anything there. */
export async function checkpointOf(
  manager: EntityManager,
  generation: number,
  consumer: string,
): Promise<ReportCheckpointRow | undefined> {
  const [stored] = await selectRows(
    manager,
    reportCheckpointsTable,
    ['generation', 'consumer'],
    [{ generation, consumer }],
  );
  return stored;
}

/** Writes a consumer's checkpoint after `folded` more events (`stored`: the row read before, if any). */
export async function saveCheckpoint(
  manager: EntityManager,
  stored: ReportCheckpointRow | undefined,
  next: Pick<ReportCheckpointRow, 'generation' | 'consumer' | 'position' | 'streamSequence'> & {
    readonly folded: number;
    readonly rebuiltThrough?: string;
  },
): Promise<void> {
  const row: ReportCheckpointRow = {
    generation: next.generation,
    consumer: next.consumer,
    position: maxOf(stored?.position, next.position),
    streamSequence: maxOf(stored?.streamSequence, next.streamSequence),
    rebuiltThrough: maxOf(stored?.rebuiltThrough, next.rebuiltThrough ?? '0'),
    events: (stored?.events ?? 0) + next.folded,
    updatedAt: new Date().toISOString(),
  };
  if (stored) await updateRows(manager, reportCheckpointsTable, [row]);
  else await insertRows(manager, reportCheckpointsTable, [row]);
}

function maxOf(stored: string | undefined, next: string): string {
  return stored !== undefined && BigInt(stored) > BigInt(next) ? stored : next;
}
