import type { EnergyCostAccrued } from '@fleet/contracts';
import { deleteRows, insertRows, type InlineProjection, type RecordedEvent } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { energyCostAccrualsTable, type EnergyCostAccrualRow } from './energy-cost-accrual.entity';

/** Each day's latest published cost with its event id: the next correction names it. */
export const energyCostAccrualsProjection: InlineProjection = {
  name: 'energy-cost-accruals',
  handles: ['EnergyCostAccrued'],
  async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const rows = new Map<string, EnergyCostAccrualRow>();
    for (const event of recorded as readonly RecordedEvent<EnergyCostAccrued>[]) {
      const { facilityId, day, revision, kwh, usd, basis } = event.data;
      rows.set(`${facilityId} ${day}`, {
        facilityId,
        day,
        revision,
        eventId: event.eventId,
        kwh,
        usd,
        basis,
      });
    }
    await deleteRows(manager, energyCostAccrualsTable, ['facilityId', 'day'], [...rows.values()]);
    await insertRows(manager, energyCostAccrualsTable, [...rows.values()]);
  },
};
