import { Module } from '@nestjs/common';
import { EnergyCostAccrual } from './commands/accrue-energy-cost/energy-cost-accrual';
import { EnergyCostAccrualSchedule } from './commands/accrue-energy-cost/energy-cost-accrual.schedule';
import { EnergyCommandHandler } from './commands/energy-command.handler';
import { PostEnergyPricesController } from './commands/post-energy-prices/post-energy-prices.controller';
import { PostEnergyPricesHandler } from './commands/post-energy-prices/post-energy-prices.handler';
import { RecordMeterReadingsController } from './commands/record-meter-readings/record-meter-readings.controller';
import { RecordMeterReadingsHandler } from './commands/record-meter-readings/record-meter-readings.handler';
import { SetTariffController } from './commands/set-tariff/set-tariff.controller';
import { SetTariffHandler } from './commands/set-tariff/set-tariff.handler';
import { FacilityEnergyController } from './queries/facility-energy/facility-energy.controller';
import { EnergyReadModel } from './read-model/energy.read-model';

/** A facility's energy: meter readings, tariff, market prices, the energy it drew and the daily cost. */
@Module({
  controllers: [
    RecordMeterReadingsController,
    SetTariffController,
    PostEnergyPricesController,
    FacilityEnergyController,
  ],
  providers: [
    EnergyCommandHandler,
    RecordMeterReadingsHandler,
    SetTariffHandler,
    PostEnergyPricesHandler,
    EnergyReadModel,
    EnergyCostAccrual,
    EnergyCostAccrualSchedule,
  ],
})
export class EnergyModule {}
