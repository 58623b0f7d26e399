import { EntitySchema } from 'typeorm';

/** A row of `forecast_shipment_lines`: a shipment's units of one model. In transit: dispatched − received − damaged. */
export interface ForecastShipmentLineRow {
  shipmentId: string;
  model: string;
  orderId: string;
  facilityId: string;
  dispatched: number;
  received: number;
  damaged: number;
}

export const ForecastShipmentLineEntity = new EntitySchema<ForecastShipmentLineRow>({
  name: 'ForecastShipmentLineEntity',
  tableName: 'forecast_shipment_lines',
  columns: {
    shipmentId: {
      name: 'shipment_id',
      type: 'varchar',
      length: 36,
      primary: true,
      primaryKeyConstraintName: 'pk_forecast_shipment_lines',
    },
    model: {
      type: 'varchar',
      length: 64,
      primary: true,
      primaryKeyConstraintName: 'pk_forecast_shipment_lines',
    },
    orderId: { name: 'order_id', type: 'varchar', length: 36 },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    dispatched: { type: 'integer' },
    received: { type: 'integer' },
    damaged: { type: 'integer' },
  },
  indices: [{ name: 'ix_forecast_shipment_lines_facility', columns: ['facilityId'] }],
});
