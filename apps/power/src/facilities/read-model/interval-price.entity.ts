import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/**
 * A row of `power_interval_prices`: the latest posted price of one interval of a facility's market,
 * kept for the price rule (a changed rule is weighed against the prices of the intervals to come).
 */
export interface IntervalPriceRow {
  /** `<facilityId>|<startsAt>`: a later posting of the interval replaces its row. */
  id: string;
  facilityId: string;
  startsAt: string;
  endsAt: string;
  usdPerMwh: string;
}

export const IntervalPriceEntity = new EntitySchema<IntervalPriceRow>({
  name: 'IntervalPriceEntity',
  tableName: 'power_interval_prices',
  columns: {
    id: { type: 'varchar', length: 100, primary: true, primaryKeyConstraintName: 'pk_power_interval_prices' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    startsAt: { name: 'starts_at', type: 'varchar', length: 30 },
    endsAt: { name: 'ends_at', type: 'varchar', length: 30 },
    usdPerMwh: { name: 'usd_per_mwh', type: 'varchar', length: 24 },
  },
  // The price rule reads a facility's intervals not over yet.
  indices: [{ name: 'ix_power_interval_prices_facility_end', columns: ['facilityId', 'endsAt'] }],
});

export const intervalPricesTable = tableOf(IntervalPriceEntity);

export function intervalPriceId(facilityId: string, startsAt: string): string {
  return `${facilityId}|${startsAt}`;
}
