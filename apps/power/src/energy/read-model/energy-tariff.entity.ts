import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/**
 * A row of `energy_tariffs`: a facility's tariff from `since` until its next row. Kept as a
 * history, so a day published again (a late reading) is costed at the tariff it ran under.
 */
export interface EnergyTariffRow {
  facilityId: string;
  /** ISO instant with milliseconds: the tariff's `effectiveFrom`. */
  since: string;
  type: 'fixed' | 'market';
  /** Set for a fixed tariff. */
  usdPerKwh: string | null;
}

export const EnergyTariffEntity = new EntitySchema<EnergyTariffRow>({
  name: 'EnergyTariffEntity',
  tableName: 'energy_tariffs',
  columns: {
    facilityId: {
      name: 'facility_id',
      type: 'varchar',
      length: 63,
      primary: true,
      primaryKeyConstraintName: 'pk_energy_tariffs',
    },
    since: { type: 'varchar', length: 24, primary: true, primaryKeyConstraintName: 'pk_energy_tariffs' },
    type: { type: 'varchar', length: 16 },
    usdPerKwh: { name: 'usd_per_kwh', type: 'varchar', length: 24, nullable: true },
  },
});

export const energyTariffsTable = tableOf(EnergyTariffEntity);
