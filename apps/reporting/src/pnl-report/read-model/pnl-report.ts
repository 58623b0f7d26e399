import { formatCoinAmount, negateUsd, ratioOf, sumDecimals, sumUsd, type Coin } from '@fleet/contracts';
import type { PnlMonthDoc } from './pnl-month.fold';

export interface CoinRevenue {
  readonly coin: Coin;
  /** Decimal string in whole coins ("1.23456789"). */
  readonly amount: string;
  /** USD of the valued payouts, decimal string with cents. */
  readonly usd: string;
  readonly payouts: number;
  readonly unvaluedPayouts: number;
}

export type PnlFlag = 'payouts-without-fixing' | 'energy-estimated' | 'energy-days-missing' | 'pool-variance';

/** A day and pool revenue flagged (`PayoutVarianceFlagged`), amounts in whole coins. */
export interface PoolVariance {
  readonly coin: Coin;
  readonly pool: string;
  readonly day: string;
  readonly expectedAmount: string;
  readonly receivedAmount: string;
  readonly variancePercent: string | null;
}

export interface PnlMonth {
  readonly facilityId: string;
  readonly month: string;
  readonly revenue: CoinRevenue[];
  readonly revenueUsd: string;
  readonly energyKwh: string;
  readonly energyUsd: string;
  readonly energyDays: number;
  readonly estimatedEnergyDays: number;
  readonly marginUsd: string;
  /**
   * BTC revenue USD ÷ SHA-256 TH/s-days, once the month is closed (its close publishes the
   * hashrate-days it froze); null while open or without SHA-256 hashing.
   */
  readonly revenuePerThPerDayUsd: string | null;
  /** What revenue's events show as needing attention (`pool-variance`: see `poolVariances`). */
  readonly flags: PnlFlag[];
  readonly poolVariances: PoolVariance[];
  readonly closed: boolean;
  readonly closedAt: string | null;
}

function daysIn(month: string): number {
  const [year = 0, monthNumber = 0] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

/** A facility's month: revenue per coin and in USD, energy, margin and flags; money as decimal strings. */
export function pnlMonthOf(doc: PnlMonthDoc): PnlMonth {
  const coins = new Map<Coin, { amount: bigint; usd: string[]; payouts: number; unvalued: number }>();
  for (const payout of Object.values(doc.payouts)) {
    const figures = coins.get(payout.coin) ?? { amount: 0n, usd: [], payouts: 0, unvalued: 0 };
    figures.amount += BigInt(payout.amount);
    figures.payouts += 1;
    if (payout.usd === null) figures.unvalued += 1;
    else figures.usd.push(payout.usd);
    coins.set(payout.coin, figures);
  }
  const revenue = [...coins.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([coin, figures]) => ({
      coin,
      amount: formatCoinAmount(coin, figures.amount),
      usd: sumUsd(figures.usd),
      payouts: figures.payouts,
      unvaluedPayouts: figures.unvalued,
    }));
  const energy = Object.values(doc.energy);
  const revenueUsd = sumUsd(revenue.map((coin) => coin.usd));
  const energyUsd = sumUsd(energy.map((day) => day.usd));
  const estimatedEnergyDays = energy.filter((day) => day.basis === 'estimated').length;
  const flags: PnlFlag[] = [];
  if (revenue.some((coin) => coin.unvaluedPayouts > 0)) flags.push('payouts-without-fixing');
  if (estimatedEnergyDays > 0) flags.push('energy-estimated');
  if (energy.length < daysIn(doc.month)) flags.push('energy-days-missing');
  const poolVariances = Object.values(doc.variances ?? {})
    .sort((a, b) => (a.day === b.day ? (a.pool < b.pool ? -1 : 1) : a.day < b.day ? -1 : 1))
    .map(({ coin, pool, day, expectedAmount, receivedAmount, variancePercent }) => ({
      coin,
      pool,
      day,
      expectedAmount: formatCoinAmount(coin, BigInt(expectedAmount)),
      receivedAmount: formatCoinAmount(coin, BigInt(receivedAmount)),
      variancePercent,
    }));
  if (poolVariances.length > 0) flags.push('pool-variance');
  const btcUsd = revenue.find((coin) => coin.coin === 'BTC')?.usd ?? '0.00';
  return {
    facilityId: doc.facilityId,
    month: doc.month,
    revenue,
    revenueUsd,
    energyKwh: sumDecimals(energy.map((day) => day.kwh)),
    energyUsd,
    energyDays: energy.length,
    estimatedEnergyDays,
    marginUsd: sumUsd([revenueUsd, negateUsd(energyUsd)]),
    revenuePerThPerDayUsd: doc.thDays ? ratioOf(btcUsd, doc.thDays, 6) : null,
    flags,
    poolVariances,
    closed: doc.closedAt !== null,
    closedAt: doc.closedAt,
  };
}
