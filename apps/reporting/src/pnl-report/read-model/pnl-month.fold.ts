import type { Coin, EnergyCostBasis } from '@fleet/contracts';
import type { ReportFold } from '../../report-kit/report-fold';

export interface PayoutFacts {
  readonly coin: Coin;
  /** Base units, a bigint string. */
  readonly amount: string;
  /** USD cents as a decimal string ("1234.56"), null until the payout's day has a fixing. */
  readonly usd: string | null;
}

export interface EnergyDayFacts {
  readonly kwh: string;
  readonly usd: string;
  readonly basis: EnergyCostBasis;
  readonly revision: number;
}

/** A day and pool revenue flagged as paid beyond its tolerance (the latest revision). */
export interface PoolVarianceFacts {
  readonly coin: Coin;
  readonly pool: string;
  readonly day: string;
  /** Base units. */
  readonly expectedAmount: string;
  readonly receivedAmount: string;
  readonly variancePercent: string | null;
  readonly revision: number;
}

/** One facility's month as revenue books it. */
export interface PnlMonthDoc {
  readonly facilityId: string;
  readonly month: string;
  /** By `<pool>/<txid>`: a payout is booked once, and valued later when its fixing arrives. */
  readonly payouts: Record<string, PayoutFacts>;
  /** By day: a corrected energy cost replaces the day's figure. */
  readonly energy: Record<string, EnergyDayFacts>;
  readonly closedAt: string | null;
  /** SHA-256 TH/s-days online, as the close froze them (`PeriodClosed.rigTime`); null while open. */
  readonly thDays?: string | null;
  /** By `<coin>/<pool>/<day>` (the day's month is the document's). */
  readonly variances?: Record<string, PoolVarianceFacts>;
}

const keyOf = (facilityId: string, month: string): string => `${facilityId}/${month}`;

/** `pnl-month` documents, keyed `<facilityId>/<YYYY-MM>`, from revenue's events. */
export const pnlMonthFold: ReportFold<PnlMonthDoc> = {
  kind: 'pnl-month',
  types: ['PayoutReceived', 'PayoutValued', 'EnergyCostBooked', 'PeriodClosed', 'PayoutVarianceFlagged'],
  keysOf: (event) => {
    switch (event.type) {
      case 'PayoutReceived':
      case 'PayoutValued':
      case 'EnergyCostBooked':
      case 'PeriodClosed':
        return [keyOf(event.data.facilityId, event.data.period)];
      case 'PayoutVarianceFlagged':
        return [keyOf(event.data.facilityId, event.data.day.slice(0, 7))];
      default:
        return [];
    }
  },
  evolve(doc, event) {
    switch (event.type) {
      case 'PayoutReceived':
      case 'PayoutValued':
      case 'EnergyCostBooked':
      case 'PeriodClosed':
      case 'PayoutVarianceFlagged':
        break;
      default:
        return doc ?? null;
    }
    const month: PnlMonthDoc = doc ?? {
      facilityId: event.data.facilityId,
      month: event.type === 'PayoutVarianceFlagged' ? event.data.day.slice(0, 7) : event.data.period,
      payouts: {},
      energy: {},
      closedAt: null,
    };
    switch (event.type) {
      case 'PayoutReceived': {
        const { pool, txid, coin, amount, usd } = event.data;
        return { ...month, payouts: { ...month.payouts, [`${pool}/${txid}`]: { coin, amount, usd } } };
      }
      case 'PayoutValued': {
        const id = `${event.data.pool}/${event.data.txid}`;
        const payout = month.payouts[id];
        if (!payout) return month;
        return { ...month, payouts: { ...month.payouts, [id]: { ...payout, usd: event.data.usd } } };
      }
      case 'EnergyCostBooked': {
        const { day, kwh, usd, basis, revision } = event.data;
        return { ...month, energy: { ...month.energy, [day]: { kwh, usd, basis, revision } } };
      }
      case 'PeriodClosed': {
        const sha256 = event.data.rigTime?.byAlgorithm.find((entry) => entry.algorithm === 'SHA-256');
        return { ...month, closedAt: event.data.closedAt, thDays: sha256?.hashrateUnitDays ?? null };
      }
      case 'PayoutVarianceFlagged': {
        const { coin, pool, day, expectedAmount, receivedAmount, variancePercent, revision } = event.data;
        const id = `${coin}/${pool}/${day}`;
        const known = month.variances?.[id];
        // Revisions may arrive in any order after a rebuild's merge: keep the latest.
        if (known && known.revision >= revision) return month;
        return {
          ...month,
          variances: {
            ...month.variances,
            [id]: { coin, pool, day, expectedAmount, receivedAmount, variancePercent, revision },
          },
        };
      }
    }
  },
};
