import type { Coin, EnergyCostBasis, JournalEntry, JournalLine, LedgerAccount } from '@fleet/contracts';

/**
 * The journal entries each fact posts. Every entry balances on its own: debits equal credits in
 * USD and, for each coin, in base units (`journal-entries.property.spec.ts` holds them to it).
 *
 * A late entry (a fact of a closed month booked in the first open one) posts the revenue or the
 * expense side to `prior-period-adjustments`, so the open month's own revenue and energy stay its
 * own and the adjustment is visible as such.
 */

const ZERO_USD = '0.00';

function revenueAccount(late: boolean): LedgerAccount {
  return late ? 'prior-period-adjustments' : 'mining-revenue';
}

function expenseAccount(late: boolean): LedgerAccount {
  return late ? 'prior-period-adjustments' : 'energy-expense';
}

function entry(date: string, lateFor: string | undefined, memo: string, lines: JournalLine[]): JournalEntry {
  return { date, ...(lateFor ? { lateFor } : {}), memo, lines };
}

export interface PayoutPosting {
  readonly pool: string;
  readonly txid: string;
  readonly coin: Coin;
  /** Base units. */
  readonly amount: string;
  /** Null while the day has no fixing: the entry is then in coin, at 0.00 USD, until valued. */
  readonly usd: string | null;
}

/** Coin held against mining revenue (per coin), at the fixing of the payout's day when known. */
export function payoutEntry(payout: PayoutPosting, date: string, lateFor: string | undefined): JournalEntry {
  const { coin, amount } = payout;
  const usd = payout.usd ?? ZERO_USD;
  const valued = payout.usd === null ? ' (not valued yet: no fixing for its day)' : '';
  return entry(date, lateFor, `payout ${payout.pool} ${payout.txid}${valued}`, [
    { account: 'coin-held', side: 'debit', usd, coin, amount },
    { account: revenueAccount(lateFor !== undefined), side: 'credit', usd, coin, amount },
  ]);
}

/**
 * The USD side of a payout booked in coin alone, once its day's fixing is known: the same accounts
 * in USD only (no coin moves), so coin held and revenue end up at the payout's value.
 */
export function valuationEntry(
  payout: Pick<PayoutPosting, 'pool' | 'txid' | 'coin'>,
  usd: string,
  fixingUsd: string,
  date: string,
  lateFor: string | undefined,
): JournalEntry {
  const { coin } = payout;
  return entry(
    date,
    lateFor,
    `valuation of payout ${payout.pool} ${payout.txid} at ${fixingUsd} USD/${coin}`,
    [
      { account: 'coin-held', side: 'debit', usd, coin },
      { account: revenueAccount(lateFor !== undefined), side: 'credit', usd, coin },
    ],
  );
}

export interface EnergyPosting {
  readonly kwh: string;
  readonly usd: string;
  readonly basis: EnergyCostBasis;
}

/**
 * Energy expense against energy payable. A correction reverses the figure booked before and books
 * the new one in the same entry, so each basis (measured, estimated) keeps its own kWh and USD.
 */
export function energyEntry(
  day: string,
  figure: EnergyPosting,
  previous: EnergyPosting | null,
  date: string,
  lateFor: string | undefined,
): JournalEntry {
  const expense = expenseAccount(lateFor !== undefined);
  const lines: JournalLine[] = [];
  if (previous) {
    lines.push(
      { account: expense, side: 'credit', usd: previous.usd, kwh: previous.kwh, basis: previous.basis },
      { account: 'energy-payable', side: 'debit', usd: previous.usd },
    );
  }
  lines.push(
    { account: expense, side: 'debit', usd: figure.usd, kwh: figure.kwh, basis: figure.basis },
    { account: 'energy-payable', side: 'credit', usd: figure.usd },
  );
  const memo = previous
    ? `energy ${day}: ${figure.kwh} kWh ${figure.basis}, replacing ${previous.kwh} kWh ${previous.basis}`
    : `energy ${day}: ${figure.kwh} kWh ${figure.basis}`;
  return entry(date, lateFor, memo, lines);
}
