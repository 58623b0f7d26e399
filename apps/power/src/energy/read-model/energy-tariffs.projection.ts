import type { TariffSet } from '@fleet/contracts';
import { deleteRows, insertRows, type InlineProjection, type RecordedEvent } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { energyTariffsTable, type EnergyTariffRow } from './energy-tariff.entity';

/** Each tariff from its `effectiveFrom`; a later tariff of the same instant replaces it. */
export const energyTariffsProjection: InlineProjection = {
  name: 'energy-tariffs',
  handles: ['TariffSet'],
  async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const rows = new Map<string, EnergyTariffRow>();
    for (const event of recorded as readonly RecordedEvent<TariffSet>[]) {
      const { facilityId, tariff } = event.data;
      const since = new Date(event.data.effectiveFrom).toISOString();
      rows.set(`${facilityId} ${since}`, {
        facilityId,
        since,
        type: tariff.type,
        usdPerKwh: tariff.type === 'fixed' ? tariff.usdPerKwh : null,
      });
    }
    await deleteRows(manager, energyTariffsTable, ['facilityId', 'since'], [...rows.values()]);
    await insertRows(manager, energyTariffsTable, [...rows.values()]);
  },
};
