import type { HashValuePublished } from '@fleet/contracts';
import { rowProjection } from '@fleet/event-sourcing';
import { hashValuesTable, type HashValueRow } from './hash-value.entity';

/** `hash_values`: one row per coin and day, written once. */
export const HashValuesProjection = rowProjection<HashValueRow, HashValuePublished>({
  name: 'hash-values',
  table: hashValuesTable,
  handles: ['HashValuePublished'],
  rowIdOf: (event) => `${event.data.coin}/${event.data.date}`,
  evolve: (_row, event) => {
    const { coin, date, coinPerUnitPerDay, unit } = event.data;
    return { id: `${coin}/${date}`, coin, date, coinPerUnitPerDay, unit };
  },
});
