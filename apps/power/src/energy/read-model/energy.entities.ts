import { EnergyCostAccrualEntity } from './energy-cost-accrual.entity';
import { EnergyLoadChangeEntity } from './energy-load-change.entity';
import { EnergyMeterReadingEntity } from './energy-meter-reading.entity';
import { EnergyPriceEntity } from './energy-price.entity';
import { EnergyTariffEntity } from './energy-tariff.entity';

/** The read tables of facilities' energy, for `FleetServiceModule.forRoot`. */
export const ENERGY_ENTITIES = [
  EnergyLoadChangeEntity,
  EnergyMeterReadingEntity,
  EnergyPriceEntity,
  EnergyTariffEntity,
  EnergyCostAccrualEntity,
];
