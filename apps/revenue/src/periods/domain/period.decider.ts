import { valueInUsd, type PeriodEvent } from '@fleet/contracts';
import type { Decider } from '@fleet/event-sourcing';
import { dayOf, daysOf, firstDayOf, monthOf } from './calendar';
import { energyEntry, payoutEntry, valuationEntry } from './journal-entries';
import type { PeriodCommand, RecordPayouts } from './period.commands';
import { periodClosed, PeriodNotReadyError } from './period.errors';
import { payoutKeyOf } from './period-id';
import { evolvePeriod, initialPeriodState, missingForClose, type PeriodState } from './period.state';

/**
 * A facility's month. It books payouts, their valuations and energy costs, each with its journal
 * entry, until it is closed; closed, it refuses every booking (`period-closed`) and the handlers
 * book in the first open month instead, as late entries naming this one.
 */
export const periodDecider: Decider<PeriodCommand, PeriodState, PeriodEvent> = {
  initialState: initialPeriodState,
  evolve: evolvePeriod,
  decide(command, state) {
    switch (command.type) {
      case 'RecordPayouts':
        return recordPayouts(command, state);
      case 'ValuePayouts': {
        const { facilityId, period, fixings } = command.data;
        // A closed month has no payout without a value: the close refuses while there is one.
        if (state.status === 'closed') return [];
        const fixingOf = new Map(fixings.map((fixing) => [`${fixing.coin}/${fixing.day}`, fixing.fixingUsd]));
        return [...state.payouts.values()].flatMap((payout): PeriodEvent[] => {
          const fixingUsd = fixingOf.get(`${payout.coin}/${payout.day}`);
          if (payout.valued || fixingUsd === undefined) return [];
          const usd = valueInUsd(payout.coin, BigInt(payout.amount), fixingUsd);
          const { pool, txid, coin, day, date, lateFor } = payout;
          return [
            {
              type: 'PayoutValued',
              data: {
                facilityId,
                period,
                pool,
                txid,
                coin,
                day,
                fixingUsd,
                usd,
                entry: valuationEntry(payout, usd, fixingUsd, date, lateFor),
              },
            },
          ];
        });
      }
      case 'BookEnergyCost': {
        const { facilityId, period, day, kwh, usd, basis, revision, sourceEventId, previous } = command.data;
        if (state.status === 'closed') throw periodClosed(facilityId, period);
        // A redelivery, or a figure older than the one booked: power's latest revision wins.
        if (state.energySources.has(sourceEventId)) return [];
        if (previous && previous.revision >= revision) return [];
        const late = lateness(day, period);
        return [
          {
            type: 'EnergyCostBooked',
            data: {
              facilityId,
              period,
              day,
              kwh,
              usd,
              basis,
              revision,
              sourceEventId,
              ...(previous ? { replaces: previous } : {}),
              entry: energyEntry(day, { kwh, usd, basis }, previous, late.date, late.lateFor),
            },
          },
        ];
      }
      case 'ClosePeriod': {
        const { facilityId, period, closedAt, rigTime } = command.data;
        if (state.status === 'closed') return [];
        const missing = missingForClose(state, daysOf(period));
        if (missing.payoutsWithoutFixing.length > 0 || missing.daysWithoutEnergyCost.length > 0)
          throw new PeriodNotReadyError(facilityId, period, missing);
        return [
          { type: 'PeriodClosed', data: { facilityId, period, closedAt, ...(rigTime ? { rigTime } : {}) } },
        ];
      }
    }
  },
};

function recordPayouts(command: RecordPayouts, state: PeriodState): PeriodEvent[] {
  const { facilityId, period, payouts } = command.data;
  if (state.status === 'closed') throw periodClosed(facilityId, period);
  const events: PeriodEvent[] = [];
  const seen = new Set(state.payouts.keys());
  for (const payout of payouts) {
    const key = payoutKeyOf(payout);
    // The same (pool, txid) is the same payout: booked once.
    if (seen.has(key)) continue;
    seen.add(key);
    const { pool, txid, coin, paidAt, periodStart, periodEnd, fixingUsd } = payout;
    const day = dayOf(paidAt);
    const late = lateness(day, period);
    const amount = payout.amount.toString();
    const usd = fixingUsd === null ? null : valueInUsd(coin, payout.amount, fixingUsd);
    events.push({
      type: 'PayoutReceived',
      data: {
        facilityId,
        period,
        pool,
        txid,
        coin,
        amount,
        paidAt,
        periodStart,
        periodEnd,
        day,
        fixingUsd,
        usd,
        entry: payoutEntry({ pool, txid, coin, amount, usd }, late.date, late.lateFor),
      },
    });
  }
  return events;
}

/**
 * A fact of `day` booked in `period`: in its own month it is dated its day; in a later one (its
 * own is closed) it is a late entry dated the first day of the month it is booked in.
 */
function lateness(day: string, period: string): { date: string; lateFor?: string } {
  const month = monthOf(day);
  if (month === period) return { date: day };
  if (month > period) throw new Error(`a fact of ${day} cannot be booked in the earlier month ${period}`);
  return { date: firstDayOf(period), lateFor: month };
}
