import { ForecastOrderLineEntity } from './forecast-order-line.entity';
import { ForecastOrderEntity } from './forecast-order.entity';
import { ForecastShipmentLineEntity } from './forecast-shipment-line.entity';
import { ForecastShipmentEntity } from './forecast-shipment.entity';

/** The read tables of the capacity forecast (what procurement says is coming), for `FleetServiceModule.forRoot`. */
export const FORECAST_ENTITIES = [
  ForecastOrderEntity,
  ForecastOrderLineEntity,
  ForecastShipmentEntity,
  ForecastShipmentLineEntity,
];
