import { EntitySchema } from 'typeorm';

/** A row of `forecast_orders`: when an order's undispatched units are expected. */
export interface ForecastOrderRow {
  orderId: string;
  facilityId: string;
  /** `YYYY-MM-DD`; null when the order gave none (its units are then not in the forecast). */
  expectedDelivery: string | null;
}

export const ForecastOrderEntity = new EntitySchema<ForecastOrderRow>({
  name: 'ForecastOrderEntity',
  tableName: 'forecast_orders',
  columns: {
    orderId: {
      name: 'order_id',
      type: 'varchar',
      length: 36,
      primary: true,
      primaryKeyConstraintName: 'pk_forecast_orders',
    },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    expectedDelivery: { name: 'expected_delivery', type: 'varchar', length: 10, nullable: true },
  },
  indices: [{ name: 'ix_forecast_orders_facility', columns: ['facilityId'] }],
});
