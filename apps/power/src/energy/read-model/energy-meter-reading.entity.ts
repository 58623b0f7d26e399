import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `energy_meter_readings`: the reading in force for one meter and interval. */
export interface EnergyMeterReadingRow {
  facilityId: string;
  meterId: string;
  /** ISO instant with milliseconds, so one interval has one spelling and text order is time order. */
  intervalStart: string;
  intervalMinutes: number;
  kwh: string;
}

export const EnergyMeterReadingEntity = new EntitySchema<EnergyMeterReadingRow>({
  name: 'EnergyMeterReadingEntity',
  tableName: 'energy_meter_readings',
  columns: {
    facilityId: {
      name: 'facility_id',
      type: 'varchar',
      length: 63,
      primary: true,
      primaryKeyConstraintName: 'pk_energy_meter_readings',
    },
    meterId: {
      name: 'meter_id',
      type: 'varchar',
      length: 64,
      primary: true,
      primaryKeyConstraintName: 'pk_energy_meter_readings',
    },
    intervalStart: {
      name: 'interval_start',
      type: 'varchar',
      length: 24,
      primary: true,
      primaryKeyConstraintName: 'pk_energy_meter_readings',
    },
    intervalMinutes: { name: 'interval_minutes', type: 'integer' },
    kwh: { type: 'varchar', length: 24 },
  },
  // `GET …/energy` and a day's accrual read a facility's readings by time.
  indices: [{ name: 'ix_energy_meter_readings_start', columns: ['facilityId', 'intervalStart'] }],
});

export const energyMeterReadingsTable = tableOf(EnergyMeterReadingEntity);
