import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `report_checkpoints`: how far one consumer has folded its source stream into a generation. */
export interface ReportCheckpointRow {
  generation: number;
  consumer: string;
  /** The source service's position of the last event folded, a decimal string. */
  position: string;
  /** The JetStream sequence of the last message folded (0 when it came from `GET /events`). */
  streamSequence: string;
  /**
   * The stream sequence a rebuild folded this generation through: the live consumer passes over
   * the messages up to it (0: no rebuild, every message is the consumer's).
   */
  rebuiltThrough: string;
  events: number;
  updatedAt: string;
}

export const ReportCheckpointEntity = new EntitySchema<ReportCheckpointRow>({
  name: 'ReportCheckpointEntity',
  tableName: 'report_checkpoints',
  columns: {
    generation: { type: 'integer', primary: true, primaryKeyConstraintName: 'pk_report_checkpoints' },
    consumer: {
      type: 'varchar',
      length: 64,
      primary: true,
      primaryKeyConstraintName: 'pk_report_checkpoints',
    },
    position: { type: 'bigint' },
    streamSequence: { name: 'stream_sequence', type: 'bigint' },
    rebuiltThrough: { name: 'rebuilt_through', type: 'bigint' },
    events: { type: 'integer' },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 40 },
  },
});

export const reportCheckpointsTable = tableOf(ReportCheckpointEntity);
