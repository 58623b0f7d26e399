import type { MeterReadingsRecorded } from '@fleet/contracts';
import { deleteRows, insertRows, type InlineProjection, type RecordedEvent } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { energyMeterReadingsTable, type EnergyMeterReadingRow } from './energy-meter-reading.entity';

/** The reading in force per meter and interval: a later one (a correction) replaces the row. */
export const energyReadingsProjection: InlineProjection = {
  name: 'energy-meter-readings',
  handles: ['MeterReadingsRecorded'],
  async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const rows = new Map<string, EnergyMeterReadingRow>();
    for (const event of recorded as readonly RecordedEvent<MeterReadingsRecorded>[])
      for (const reading of event.data.readings) {
        const intervalStart = new Date(reading.intervalStart).toISOString();
        rows.set(`${event.data.facilityId} ${reading.meterId} ${intervalStart}`, {
          facilityId: event.data.facilityId,
          meterId: reading.meterId,
          intervalStart,
          intervalMinutes: reading.intervalMinutes,
          kwh: reading.kwh,
        });
      }
    await deleteRows(
      manager,
      energyMeterReadingsTable,
      ['facilityId', 'meterId', 'intervalStart'],
      [...rows.values()],
    );
    await insertRows(manager, energyMeterReadingsTable, [...rows.values()]);
  },
};
