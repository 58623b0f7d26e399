import type { Coin, PeriodEvent } from '@fleet/contracts';
import { payoutKeyOf } from './period-id';

/** A payout as its month remembers it: enough to value it later and to refuse the close without it. */
export interface BookedPayout {
  readonly pool: string;
  readonly txid: string;
  readonly coin: Coin;
  readonly day: string;
  /** Base units. */
  readonly amount: string;
  readonly valued: boolean;
  /** The booking date of its entry (the valuation is dated the same). */
  readonly date: string;
  readonly lateFor?: string;
}

export interface PeriodState {
  readonly status: 'open' | 'closed';
  /** By `payoutKeyOf`. */
  readonly payouts: ReadonlyMap<string, BookedPayout>;
  /** Days of this month with an energy figure booked here, and the revision booked. */
  readonly energyDays: ReadonlyMap<string, number>;
  /** Power's events booked here: a redelivery books nothing. */
  readonly energySources: ReadonlySet<string>;
}

export const initialPeriodState = (): PeriodState => ({
  status: 'open',
  payouts: new Map(),
  energyDays: new Map(),
  energySources: new Set(),
});

export function evolvePeriod(state: PeriodState, event: PeriodEvent): PeriodState {
  switch (event.type) {
    case 'PayoutReceived': {
      const { pool, txid, coin, day, amount, usd, entry } = event.data;
      const payouts = new Map(state.payouts);
      payouts.set(payoutKeyOf(event.data), {
        pool,
        txid,
        coin,
        day,
        amount,
        valued: usd !== null,
        date: entry.date,
        ...(entry.lateFor ? { lateFor: entry.lateFor } : {}),
      });
      return { ...state, payouts };
    }
    case 'PayoutValued': {
      const key = payoutKeyOf(event.data);
      const payout = state.payouts.get(key);
      if (!payout) return state;
      const payouts = new Map(state.payouts);
      payouts.set(key, { ...payout, valued: true });
      return { ...state, payouts };
    }
    case 'EnergyCostBooked': {
      const { day, revision, sourceEventId, entry } = event.data;
      const energySources = new Set(state.energySources).add(sourceEventId);
      // A late figure is another month's day: it does not count towards this month's close.
      if (entry.lateFor) return { ...state, energySources };
      const energyDays = new Map(state.energyDays).set(day, revision);
      return { ...state, energyDays, energySources };
    }
    case 'PeriodClosed':
      return { ...state, status: 'closed' };
  }
}

/** What stops a month from closing; both empty when it may close. */
export interface MissingForClose {
  readonly payoutsWithoutFixing: { pool: string; txid: string; coin: Coin; day: string }[];
  readonly daysWithoutEnergyCost: string[];
}

export function missingForClose(state: PeriodState, days: readonly string[]): MissingForClose {
  const payoutsWithoutFixing = [...state.payouts.values()]
    .filter((payout) => !payout.valued)
    .map(({ pool, txid, coin, day }) => ({ pool, txid, coin, day }));
  const daysWithoutEnergyCost = days.filter((day) => !state.energyDays.has(day));
  return { payoutsWithoutFixing, daysWithoutEnergyCost };
}
