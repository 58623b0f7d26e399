import {
  Coin,
  EnergyCostBasis,
  FacilityId,
  formatCoinAmount,
  LedgerAccount,
  Month,
  ratioOf,
  type Coin as CoinType,
  type RigTimeFigures,
} from '@fleet/contracts';
import { z } from 'zod';
import type { TrialBalance } from '../domain/trial-balance';
import type { JournalLineRow } from './journal-line.entity';
import type { PayoutRow } from './payout.entity';
import type { PeriodRow } from './period.entity';
import type { StatementFigures } from './statement';

const Usd = z.string().describe('USD, two decimals');
const CoinAmount = z.string().describe('coin, every decimal of the coin (8 for BTC and ZEC)');

/** A payout as the API shows it: its amount as a decimal string, its USD value once valued. */
export const PayoutView = z.object({
  facilityId: FacilityId,
  period: Month.describe('the month it is booked in'),
  pool: z.string(),
  txid: z.string(),
  coin: Coin,
  amount: CoinAmount,
  paidAt: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  day: z.string().describe('the UTC day it was paid, whose fixing values it'),
  fixingUsd: z.string().nullable(),
  usd: Usd.nullable().describe('null until the fixing of its day arrives'),
  lateFor: Month.nullable().describe('the closed month it belongs to, when booked late'),
  recordedAt: z.string(),
});
export type PayoutView = z.infer<typeof PayoutView>;

export function toPayoutView(row: PayoutRow): PayoutView {
  const { id: _id, facilityId, period, pool, txid, coin, amount, ...rest } = row;
  return { facilityId, period, pool, txid, coin, amount: formatCoinAmount(coin, BigInt(amount)), ...rest };
}

export const PeriodView = z.object({
  facilityId: FacilityId,
  month: Month,
  status: z.enum(['open', 'closed']),
  closedAt: z.string().nullable(),
});
export type PeriodView = z.infer<typeof PeriodView>;

export function toPeriodView(facilityId: string, month: string, row: PeriodRow | null): PeriodView {
  return { facilityId, month, status: row?.status ?? 'open', closedAt: row?.closedAt ?? null };
}

export const StatementView = PeriodView.extend({
  revenueByCoin: z.array(z.object({ coin: Coin, amount: CoinAmount, usd: Usd })),
  revenueUsd: Usd,
  energy: z.object({
    kwh: z.string(),
    usd: Usd,
    byBasis: z.array(z.object({ basis: EnergyCostBasis, kwh: z.string(), usd: Usd })),
  }),
  grossMarginUsd: Usd,
  costPerKwhUsd: z.string().nullable(),
  priorPeriodAdjustments: z.object({ usd: Usd, months: z.array(Month) }),
  rigHours: z
    .string()
    .nullable()
    .describe(
      'online rig-hours (rigs drawing power, from power’s events); null for a month closed before rig time was counted',
    ),
  uptime: z
    .string()
    .nullable()
    .describe(
      'online rig-hours ÷ installed rig-hours (rigs in a slot, from inventory’s events), 4 decimals; null when none was installed',
    ),
  revenuePerThPerDayUsd: z
    .string()
    .nullable()
    .describe('BTC revenue USD ÷ SHA-256 TH/s-days online, 6 decimals; null without SHA-256 hashing'),
  hashrate: z
    .array(
      z.object({
        algorithm: z.enum(['SHA-256', 'Equihash']),
        unit: z.enum(['TH/s', 'kSol/s']),
        coin: Coin,
        onlineRigHours: z.string(),
        hashrateUnitDays: z.string().describe('online rig-days × nominal hashrate, in `unit`-days'),
        revenuePerUnitPerDayUsd: z.string().nullable().describe('the coin’s revenue USD ÷ hashrateUnitDays'),
      }),
    )
    .describe('per algorithm; empty for a month closed before rig time was counted'),
});
export type StatementView = z.infer<typeof StatementView>;

const COIN_OF_ALGORITHM = { 'SHA-256': 'BTC', Equihash: 'ZEC' } as const;

/**
 * The statement: the journal's figures and the month's rig time (counted up to now while the month
 * is open, as frozen by the close once it is closed).
 */
export function toStatementView(
  period: PeriodView,
  figures: StatementFigures,
  rigTime: RigTimeFigures | null,
): StatementView {
  const hashrate = (rigTime?.byAlgorithm ?? []).map((entry) => {
    const coin = COIN_OF_ALGORITHM[entry.algorithm];
    const revenueUsd = figures.revenueByCoin.find((revenue) => revenue.coin === coin)?.usd ?? '0.00';
    return {
      algorithm: entry.algorithm,
      unit: entry.unit,
      coin,
      onlineRigHours: entry.onlineRigHours,
      hashrateUnitDays: entry.hashrateUnitDays,
      revenuePerUnitPerDayUsd: ratioOf(revenueUsd, entry.hashrateUnitDays, 6),
    };
  });
  return {
    ...period,
    ...figures,
    rigHours: rigTime?.onlineRigHours ?? null,
    uptime: rigTime ? ratioOf(rigTime.onlineRigHours, rigTime.installedRigHours, 4) : null,
    revenuePerThPerDayUsd:
      hashrate.find((entry) => entry.algorithm === 'SHA-256')?.revenuePerUnitPerDayUsd ?? null,
    hashrate,
  };
}

const JournalLineView = z.object({
  account: LedgerAccount,
  coin: Coin.nullable(),
  debitUsd: Usd,
  creditUsd: Usd,
  debitAmount: CoinAmount.nullable(),
  creditAmount: CoinAmount.nullable(),
  kwh: z.string().nullable(),
  basis: EnergyCostBasis.nullable(),
});

const JournalEntryView = z.object({
  entryId: z.string(),
  date: z.string(),
  lateFor: Month.nullable(),
  memo: z.string(),
  lines: z.array(JournalLineView),
});
export type JournalEntryView = z.infer<typeof JournalEntryView>;

export const JournalView = PeriodView.extend({ entries: z.array(JournalEntryView) });
export type JournalView = z.infer<typeof JournalView>;

function amountOf(row: JournalLineRow): string | null {
  return row.coin && row.amount !== null ? formatCoinAmount(row.coin, BigInt(row.amount)) : null;
}

export function toJournalEntries(rows: readonly JournalLineRow[]): JournalEntryView[] {
  const entries: JournalEntryView[] = [];
  for (const row of rows) {
    let entry = entries[entries.length - 1];
    if (!entry || entry.entryId !== row.entryId) {
      entry = { entryId: row.entryId, date: row.date, lateFor: row.lateFor, memo: row.memo, lines: [] };
      entries.push(entry);
    }
    const debit = row.side === 'debit';
    const amount = amountOf(row);
    entry.lines.push({
      account: row.account,
      coin: row.coin,
      debitUsd: debit ? row.usd : '0.00',
      creditUsd: debit ? '0.00' : row.usd,
      debitAmount: debit ? amount : null,
      creditAmount: debit ? null : amount,
      kwh: row.kwh,
      basis: row.basis,
    });
  }
  return entries;
}

export const TrialBalanceView = z.object({
  facilityId: FacilityId,
  asOf: z.string(),
  accounts: z.array(
    z.object({
      account: LedgerAccount,
      coin: Coin.nullable(),
      debitUsd: Usd,
      creditUsd: Usd,
      debitAmount: CoinAmount.nullable(),
      creditAmount: CoinAmount.nullable(),
    }),
  ),
  totals: z.object({
    debitUsd: Usd,
    creditUsd: Usd,
    byCoin: z.array(z.object({ coin: Coin, debitAmount: CoinAmount, creditAmount: CoinAmount })),
  }),
  balanced: z.boolean().describe('debits equal credits in USD and in each coin'),
});
export type TrialBalanceView = z.infer<typeof TrialBalanceView>;

export function toTrialBalanceView(
  facilityId: string,
  asOf: string,
  balance: TrialBalance,
): TrialBalanceView {
  const coinAmount = (coin: CoinType | null, amount: bigint | null) =>
    coin && amount !== null ? formatCoinAmount(coin, amount) : null;
  return {
    facilityId,
    asOf,
    accounts: balance.accounts.map((account) => ({
      account: account.account,
      coin: account.coin,
      debitUsd: account.debitUsd,
      creditUsd: account.creditUsd,
      debitAmount: coinAmount(account.coin, account.debitAmount),
      creditAmount: coinAmount(account.coin, account.creditAmount),
    })),
    totals: {
      debitUsd: balance.totalDebitUsd,
      creditUsd: balance.totalCreditUsd,
      byCoin: balance.coinTotals.map(({ coin, debitAmount, creditAmount }) => ({
        coin,
        debitAmount: formatCoinAmount(coin, debitAmount),
        creditAmount: formatCoinAmount(coin, creditAmount),
      })),
    },
    balanced: balance.balanced,
  };
}
