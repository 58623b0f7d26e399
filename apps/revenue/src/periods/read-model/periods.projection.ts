import type { PeriodEvent } from '@fleet/contracts';
import { rowProjection } from '@fleet/event-sourcing';
import { periodRowIdOf, periodsTable, type PeriodRow } from './period.entity';

/** `periods`: each facility month with a booking, whether it is closed, and its stream's version. */
export const PeriodsProjection = rowProjection<PeriodRow, PeriodEvent>({
  name: 'periods',
  table: periodsTable,
  handles: ['PayoutReceived', 'PayoutValued', 'EnergyCostBooked', 'PeriodClosed'],
  rowIdOf: (event) => periodRowIdOf(event.data.facilityId, event.data.period),
  evolve: (row, event) => {
    const { facilityId, period } = event.data;
    const before: PeriodRow = row ?? {
      id: periodRowIdOf(facilityId, period),
      facilityId,
      month: period,
      status: 'open',
      closedAt: null,
      version: 0,
      rigTime: null,
    };
    return event.type === 'PeriodClosed'
      ? {
          ...before,
          status: 'closed',
          closedAt: event.data.closedAt,
          version: event.streamVersion,
          rigTime: event.data.rigTime ? JSON.stringify(event.data.rigTime) : null,
        }
      : { ...before, version: event.streamVersion };
  },
});
