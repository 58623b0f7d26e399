import { EntitySchema } from 'typeorm';

/** A row of `forecast_shipments`: a shipment's latest ETA. */
export interface ForecastShipmentRow {
  shipmentId: string;
  orderId: string;
  facilityId: string;
  /** `YYYY-MM-DD`; null until the dispatch (or a delay) is seen. */
  eta: string | null;
  /** The order stream's version of the event that set `eta`: a delay seen before the dispatch stays. */
  etaVersion: number;
}

export const ForecastShipmentEntity = new EntitySchema<ForecastShipmentRow>({
  name: 'ForecastShipmentEntity',
  tableName: 'forecast_shipments',
  columns: {
    shipmentId: {
      name: 'shipment_id',
      type: 'varchar',
      length: 36,
      primary: true,
      primaryKeyConstraintName: 'pk_forecast_shipments',
    },
    orderId: { name: 'order_id', type: 'varchar', length: 36 },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    eta: { type: 'varchar', length: 10, nullable: true },
    etaVersion: { name: 'eta_version', type: 'integer' },
  },
  indices: [{ name: 'ix_forecast_shipments_facility', columns: ['facilityId'] }],
});
