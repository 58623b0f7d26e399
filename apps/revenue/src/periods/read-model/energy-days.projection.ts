import type { EnergyCostBooked } from '@fleet/contracts';
import { rowProjection } from '@fleet/event-sourcing';
import { energyDayIdOf, energyDaysTable, type EnergyDayRow } from './energy-day.entity';

/** `energy_days`: the latest figure booked for each facility's day, which a correction reverses. */
export const EnergyDaysProjection = rowProjection<EnergyDayRow, EnergyCostBooked>({
  name: 'energy-days',
  table: energyDaysTable,
  handles: ['EnergyCostBooked'],
  rowIdOf: (event) => energyDayIdOf(event.data.facilityId, event.data.day),
  evolve: (row, event) => {
    const { facilityId, day, kwh, usd, basis, revision, period } = event.data;
    if (row && row.revision >= revision) return row;
    return { id: energyDayIdOf(facilityId, day), facilityId, day, kwh, usd, basis, revision, period };
  },
});
