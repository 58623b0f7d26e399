import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

export type GenerationStatus = 'active' | 'building' | 'failed' | 'retired';

/** A row of `report_generations`: the reports' generations, one of them active. */
export interface ReportGenerationRow {
  generation: number;
  status: GenerationStatus;
  startedAt: string;
  /** A building generation's last sign of life: one without any for a while was abandoned (a crash). */
  progressedAt: string;
  finishedAt: string | null;
  events: number;
  error: string | null;
}

export const ReportGenerationEntity = new EntitySchema<ReportGenerationRow>({
  name: 'ReportGenerationEntity',
  tableName: 'report_generations',
  columns: {
    generation: { type: 'integer', primary: true, primaryKeyConstraintName: 'pk_report_generations' },
    status: { type: 'varchar', length: 16 },
    startedAt: { name: 'started_at', type: 'varchar', length: 40 },
    progressedAt: { name: 'progressed_at', type: 'varchar', length: 40 },
    finishedAt: { name: 'finished_at', type: 'varchar', length: 40, nullable: true },
    events: { type: 'integer' },
    error: { type: 'varchar', length: 2000, nullable: true },
  },
});

export const reportGenerationsTable = tableOf(ReportGenerationEntity);

/** The one row of `report_active_generation`: which generation the reports answer from. */
export interface ReportActiveGenerationRow {
  id: number;
  generation: number;
}

export const ReportActiveGenerationEntity = new EntitySchema<ReportActiveGenerationRow>({
  name: 'ReportActiveGenerationEntity',
  tableName: 'report_active_generation',
  columns: {
    id: { type: 'integer', primary: true, primaryKeyConstraintName: 'pk_report_active_generation' },
    generation: { type: 'integer' },
  },
});
