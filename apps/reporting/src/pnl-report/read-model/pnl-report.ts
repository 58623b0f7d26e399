import { formatCoinAmount, negateUsd, sumDecimals, sumUsd, type Coin } from '@fleet/contracts';
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

export type PnlFlag = 'payouts-without-fixing' | 'energy-estimated' | 'energy-days-missing';

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
  /** Per-TH/s figures need the fleet's hashrate-days, which revenue does not publish yet: null. */
  readonly revenuePerThPerDayUsd: null;
  /** What revenue's events show as needing attention; pool variance flags join when revenue publishes them. */
  readonly flags: PnlFlag[];
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
    revenuePerThPerDayUsd: null,
    flags,
    closed: doc.closedAt !== null,
    closedAt: doc.closedAt,
  };
}
