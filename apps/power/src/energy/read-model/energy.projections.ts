import { energyCostAccrualsProjection } from './energy-cost-accruals.projection';
import { energyLoadChangesProjection } from './energy-load-changes.projection';
import { energyPricesProjection } from './energy-prices.projection';
import { energyReadingsProjection } from './energy-readings.projection';
import { energyTariffsProjection } from './energy-tariffs.projection';

/** The inline projections of facilities' energy, for `FleetServiceModule.forRoot`. */
export const ENERGY_PROJECTIONS = [
  energyLoadChangesProjection,
  energyReadingsProjection,
  energyPricesProjection,
  energyTariffsProjection,
  energyCostAccrualsProjection,
];
