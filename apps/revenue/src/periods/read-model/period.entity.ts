import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `periods`: a facility's month that has had a booking, open or closed. */
export interface PeriodRow {
  /** `<facilityId>/<month>`. */
  id: string;
  facilityId: string;
  month: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  /** The period stream's version. */
  version: number;
  /** The month's rig time as its close froze it (`RigTimeFigures` as JSON); null while open. */
  rigTime: string | null;
}

export const PeriodEntity = new EntitySchema<PeriodRow>({
  name: 'PeriodEntity',
  tableName: 'periods',
  columns: {
    id: { type: 'varchar', length: 72, primary: true, primaryKeyConstraintName: 'pk_periods' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    month: { type: 'varchar', length: 7 },
    status: { type: 'varchar', length: 8 },
    closedAt: { name: 'closed_at', type: 'varchar', length: 40, nullable: true },
    version: { type: 'integer' },
    rigTime: { name: 'rig_time', type: 'text', nullable: true },
  },
  indices: [{ name: 'ix_periods_facility_status', columns: ['facilityId', 'status'] }],
});

export const periodsTable = tableOf(PeriodEntity);

export function periodRowIdOf(facilityId: string, month: string): string {
  return `${facilityId}/${month}`;
}
