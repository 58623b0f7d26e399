import type { TariffSet } from '@fleet/contracts';
import { rowProjection, type RecordedEvent } from '@fleet/event-sourcing';
import { energyTariffsTable } from './energy-tariff.entity';

/** A facility's tariff in force. */
export const energyTariffsProjection = rowProjection({
  name: 'energy-tariffs',
  table: energyTariffsTable,
  handles: ['TariffSet'],
  rowIdOf: (event: RecordedEvent<TariffSet>) => event.data.facilityId,
  evolve: (_row, { data }: RecordedEvent<TariffSet>) => ({
    facilityId: data.facilityId,
    type: data.tariff.type,
    usdPerKwh: data.tariff.type === 'fixed' ? data.tariff.usdPerKwh : null,
  }),
});
