import type { EnergyPricesPosted } from '@fleet/contracts';
import { deleteRows, insertRows, type InlineProjection, type RecordedEvent } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { energyPricesTable, type EnergyPriceRow } from './energy-price.entity';

/** The latest price per interval start: a later posting of an interval replaces its price. */
export const energyPricesProjection: InlineProjection = {
  name: 'energy-prices',
  handles: ['EnergyPricesPosted'],
  async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const rows = new Map<string, EnergyPriceRow>();
    for (const event of recorded as readonly RecordedEvent<EnergyPricesPosted>[])
      for (const interval of event.data.intervals) {
        const start = new Date(interval.start).toISOString();
        rows.set(`${event.data.facilityId} ${start}`, {
          facilityId: event.data.facilityId,
          start,
          minutes: interval.minutes,
          usdPerMwh: interval.usdPerMwh,
        });
      }
    await deleteRows(manager, energyPricesTable, ['facilityId', 'start'], [...rows.values()]);
    await insertRows(manager, energyPricesTable, [...rows.values()]);
  },
};
