import type { EnergyCostBasis } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `energy_cost_accruals`: the latest `EnergyCostAccrued` of a facility's day, and its event. */
export interface EnergyCostAccrualRow {
  facilityId: string;
  day: string;
  revision: number;
  /** What the next revision's `correctsEventId` names. */
  eventId: string;
  kwh: string;
  usd: string;
  basis: EnergyCostBasis;
}

export const EnergyCostAccrualEntity = new EntitySchema<EnergyCostAccrualRow>({
  name: 'EnergyCostAccrualEntity',
  tableName: 'energy_cost_accruals',
  columns: {
    facilityId: {
      name: 'facility_id',
      type: 'varchar',
      length: 63,
      primary: true,
      primaryKeyConstraintName: 'pk_energy_cost_accruals',
    },
    day: { type: 'varchar', length: 10, primary: true, primaryKeyConstraintName: 'pk_energy_cost_accruals' },
    revision: { type: 'integer' },
    eventId: { name: 'event_id', type: 'varchar', length: 36 },
    kwh: { type: 'varchar', length: 24 },
    usd: { type: 'varchar', length: 24 },
    basis: { type: 'varchar', length: 16 },
  },
});

export const energyCostAccrualsTable = tableOf(EnergyCostAccrualEntity);
