import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `energy_prices`: the latest price posted for one interval of a facility's market. */
export interface EnergyPriceRow {
  facilityId: string;
  /** ISO instant with milliseconds. */
  start: string;
  minutes: number;
  usdPerMwh: string;
}

export const EnergyPriceEntity = new EntitySchema<EnergyPriceRow>({
  name: 'EnergyPriceEntity',
  tableName: 'energy_prices',
  columns: {
    facilityId: {
      name: 'facility_id',
      type: 'varchar',
      length: 63,
      primary: true,
      primaryKeyConstraintName: 'pk_energy_prices',
    },
    start: { type: 'varchar', length: 24, primary: true, primaryKeyConstraintName: 'pk_energy_prices' },
    minutes: { type: 'integer' },
    usdPerMwh: { name: 'usd_per_mwh', type: 'varchar', length: 24 },
  },
});

export const energyPricesTable = tableOf(EnergyPriceEntity);
