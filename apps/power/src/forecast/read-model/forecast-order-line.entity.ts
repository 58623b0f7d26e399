import { EntitySchema } from 'typeorm';

/**
 * A row of `forecast_order_lines`: an order's units of one model, counted by what happened to them.
 * Counters only grow, so the procurement consumers (one per event type, in any order) add to them
 * in single upserts. Not yet dispatched: ordered − cancelled − dispatched.
 */
export interface ForecastOrderLineRow {
  orderId: string;
  model: string;
  facilityId: string;
  ordered: number;
  cancelled: number;
  dispatched: number;
}

export const ForecastOrderLineEntity = new EntitySchema<ForecastOrderLineRow>({
  name: 'ForecastOrderLineEntity',
  tableName: 'forecast_order_lines',
  columns: {
    orderId: {
      name: 'order_id',
      type: 'varchar',
      length: 36,
      primary: true,
      primaryKeyConstraintName: 'pk_forecast_order_lines',
    },
    model: {
      type: 'varchar',
      length: 64,
      primary: true,
      primaryKeyConstraintName: 'pk_forecast_order_lines',
    },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    ordered: { type: 'integer' },
    cancelled: { type: 'integer' },
    dispatched: { type: 'integer' },
  },
  indices: [{ name: 'ix_forecast_order_lines_facility', columns: ['facilityId'] }],
});
