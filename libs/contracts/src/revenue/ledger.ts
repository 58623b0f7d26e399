import { z } from 'zod';
import { BaseUnits, Coin } from '../money/coin';
import { CalendarDate } from '../common';
import { EnergyCostBasis } from '../power/energy-cost-accrued';

/** An accounting month, `YYYY-MM`: the unit of close. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM, e.g. "2026-11"');
export type Month = z.infer<typeof Month>;

/** USD in the ledger: cents, two decimals, never negative (the side says which way). */
export const UsdCents = z
  .string()
  .regex(/^(0|[1-9]\d{0,17})\.\d{2}$/, 'USD with two decimals, e.g. "45617.28"');

export const LEDGER_ACCOUNTS = [
  'coin-held',
  'mining-revenue',
  'energy-expense',
  'energy-payable',
  /** Revenue and energy that belong to a closed month, booked in the first open one. */
  'prior-period-adjustments',
] as const;
export const LedgerAccount = z.enum(LEDGER_ACCOUNTS);
export type LedgerAccount = z.infer<typeof LedgerAccount>;

/**
 * One line of a journal entry. Every line has a USD side; a line in coin (coin held, revenue per
 * coin) also has the coin amount, so an entry balances in USD and in each coin. kWh and basis are
 * memo fields of energy lines, for the statement.
 */
export const JournalLine = z.object({
  account: LedgerAccount,
  side: z.enum(['debit', 'credit']),
  usd: UsdCents,
  coin: Coin.optional(),
  amount: BaseUnits.optional(),
  kwh: z.string().optional(),
  basis: EnergyCostBasis.optional(),
});
export type JournalLine = z.infer<typeof JournalLine>;

/** The entry an event posts; its id is the event's id. */
export const JournalEntry = z.object({
  /** The booking date: the fact's day, or the first day of the open month for a late entry. */
  date: CalendarDate,
  /** Set on a late entry: the closed month the fact belongs to. */
  lateFor: Month.optional(),
  memo: z.string().max(500),
  lines: z.array(JournalLine),
});
export type JournalEntry = z.infer<typeof JournalEntry>;
