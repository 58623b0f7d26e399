import { COINS, sumUsd, type Coin, type JournalLine, type LedgerAccount } from '@fleet/contracts';

/** An account's balance: its debits and credits in USD and, for coin accounts, per coin in base units. */
export interface AccountBalance {
  readonly account: LedgerAccount;
  readonly coin: Coin | null;
  readonly debitUsd: string;
  readonly creditUsd: string;
  /** Base units; null for USD-only accounts. */
  readonly debitAmount: bigint | null;
  readonly creditAmount: bigint | null;
}

export interface TrialBalance {
  readonly accounts: readonly AccountBalance[];
  readonly totalDebitUsd: string;
  readonly totalCreditUsd: string;
  /** Per coin that appears. */
  readonly coinTotals: readonly { coin: Coin; debitAmount: bigint; creditAmount: bigint }[];
  readonly balanced: boolean;
}

interface Bucket {
  readonly account: LedgerAccount;
  readonly coin: Coin | null;
  readonly debit: string[];
  readonly credit: string[];
  debitAmount: bigint;
  creditAmount: bigint;
}

/**
 * Debits and credits by account (and coin), in USD and in coin. Exact: USD sums are decimal sums of
 * the cent amounts booked, coin sums are bigint sums.
 */
export function trialBalanceOf(lines: Iterable<JournalLine>): TrialBalance {
  const buckets = new Map<string, Bucket>();
  for (const line of lines) {
    const coin = line.coin ?? null;
    const key = `${line.account}/${coin ?? ''}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { account: line.account, coin, debit: [], credit: [], debitAmount: 0n, creditAmount: 0n };
      buckets.set(key, bucket);
    }
    bucket[line.side].push(line.usd);
    if (line.amount !== undefined) {
      if (line.side === 'debit') bucket.debitAmount += BigInt(line.amount);
      else bucket.creditAmount += BigInt(line.amount);
    }
  }
  const accounts = [...buckets.values()]
    .sort((a, b) =>
      a.account === b.account
        ? (a.coin ?? '').localeCompare(b.coin ?? '')
        : a.account.localeCompare(b.account),
    )
    .map((bucket): AccountBalance => ({
      account: bucket.account,
      coin: bucket.coin,
      debitUsd: sumUsd(bucket.debit),
      creditUsd: sumUsd(bucket.credit),
      debitAmount: bucket.coin ? bucket.debitAmount : null,
      creditAmount: bucket.coin ? bucket.creditAmount : null,
    }));
  const totalDebitUsd = sumUsd(accounts.map((account) => account.debitUsd));
  const totalCreditUsd = sumUsd(accounts.map((account) => account.creditUsd));
  const coinTotals = COINS.flatMap((coin) => {
    const ofCoin = accounts.filter((account) => account.coin === coin);
    if (ofCoin.length === 0) return [];
    return [
      {
        coin,
        debitAmount: ofCoin.reduce((sum, account) => sum + (account.debitAmount ?? 0n), 0n),
        creditAmount: ofCoin.reduce((sum, account) => sum + (account.creditAmount ?? 0n), 0n),
      },
    ];
  });
  const balanced =
    totalDebitUsd === totalCreditUsd && coinTotals.every((total) => total.debitAmount === total.creditAmount);
  return { accounts, totalDebitUsd, totalCreditUsd, coinTotals, balanced };
}
