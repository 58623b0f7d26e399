import {
  COINS,
  ENERGY_COST_BASES,
  formatCoinAmount,
  negateUsd,
  ratioOf,
  sumDecimals,
  sumUsd,
  type Coin,
  type EnergyCostBasis,
} from '@fleet/contracts';
import type { JournalLineRow } from './journal-line.entity';

export interface CoinRevenue {
  readonly coin: Coin;
  readonly amount: string;
  readonly usd: string;
}

export interface EnergyByBasis {
  readonly basis: EnergyCostBasis;
  readonly kwh: string;
  readonly usd: string;
}

export interface StatementFigures {
  readonly revenueByCoin: CoinRevenue[];
  readonly revenueUsd: string;
  readonly energy: { readonly kwh: string; readonly usd: string; readonly byBasis: EnergyByBasis[] };
  readonly grossMarginUsd: string;
  readonly costPerKwhUsd: string | null;
  readonly priorPeriodAdjustments: { readonly usd: string; readonly months: string[] };
}

/**
 * A month's figures from the lines booked in it, and nothing else: once the month is closed no line
 * is added, so its statement cannot change. Revenue is credit minus debit of mining revenue, energy
 * is debit minus credit of energy expense (a correction's reversal nets out); late entries for
 * closed months are shown apart, as prior-period adjustments (income positive).
 */
export function statementOf(lines: readonly JournalLineRow[]): StatementFigures {
  const revenueUsd: Record<Coin, string[]> = { BTC: [], ZEC: [] };
  const revenueAmount: Record<Coin, bigint> = { BTC: 0n, ZEC: 0n };
  const energyUsd: Record<EnergyCostBasis, string[]> = { measured: [], estimated: [] };
  const energyKwh: Record<EnergyCostBasis, string[]> = { measured: [], estimated: [] };
  const adjustments: string[] = [];
  const lateMonths = new Set<string>();
  for (const line of lines) {
    const signedCredit = line.side === 'credit' ? line.usd : negateUsd(line.usd);
    if (line.account === 'mining-revenue' && line.coin) {
      revenueUsd[line.coin].push(signedCredit);
      if (line.amount !== null)
        revenueAmount[line.coin] += line.side === 'credit' ? BigInt(line.amount) : -BigInt(line.amount);
    } else if (line.account === 'energy-expense' && line.basis) {
      energyUsd[line.basis].push(negateUsd(signedCredit));
      if (line.kwh !== null) energyKwh[line.basis].push(line.side === 'debit' ? line.kwh : `-${line.kwh}`);
    } else if (line.account === 'prior-period-adjustments') {
      adjustments.push(signedCredit);
    }
    if (line.lateFor) lateMonths.add(line.lateFor);
  }
  const revenueByCoin = COINS.map((coin) => ({
    coin,
    amount: formatCoinAmount(coin, revenueAmount[coin]),
    usd: sumUsd(revenueUsd[coin]),
  }));
  const byBasis = ENERGY_COST_BASES.map((basis) => ({
    basis,
    kwh: sumDecimals(energyKwh[basis]),
    usd: sumUsd(energyUsd[basis]),
  }));
  const totalRevenueUsd = sumUsd(revenueByCoin.map((revenue) => revenue.usd));
  const totalEnergyUsd = sumUsd(byBasis.map((energy) => energy.usd));
  const totalKwh = sumDecimals(byBasis.map((energy) => energy.kwh));
  return {
    revenueByCoin,
    revenueUsd: totalRevenueUsd,
    energy: { kwh: totalKwh, usd: totalEnergyUsd, byBasis },
    grossMarginUsd: sumUsd([totalRevenueUsd, negateUsd(totalEnergyUsd)]),
    costPerKwhUsd: ratioOf(totalEnergyUsd, totalKwh, 6),
    priorPeriodAdjustments: { usd: sumUsd(adjustments), months: [...lateMonths].sort() },
  };
}
