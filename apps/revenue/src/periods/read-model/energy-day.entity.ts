import type { EnergyCostBasis } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `energy_days`: the figure of a facility's day booked last, whichever month it was booked in. */
export interface EnergyDayRow {
  /** `<facilityId>/<day>`. */
  id: string;
  facilityId: string;
  day: string;
  kwh: string;
  usd: string;
  basis: EnergyCostBasis;
  revision: number;
  period: string;
}

export const EnergyDayEntity = new EntitySchema<EnergyDayRow>({
  name: 'EnergyDayEntity',
  tableName: 'energy_days',
  columns: {
    id: { type: 'varchar', length: 80, primary: true, primaryKeyConstraintName: 'pk_energy_days' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    day: { type: 'varchar', length: 10 },
    kwh: { type: 'varchar', length: 32 },
    usd: { type: 'varchar', length: 32 },
    basis: { type: 'varchar', length: 16 },
    revision: { type: 'integer' },
    period: { type: 'varchar', length: 7 },
  },
});

export const energyDaysTable = tableOf(EnergyDayEntity);

export function energyDayIdOf(facilityId: string, day: string): string {
  return `${facilityId}/${day}`;
}
