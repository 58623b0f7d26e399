import type { Coin, EnergyCostBasis, JournalLine, LedgerAccount } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `journal_lines`: one line of one journal entry (an entry is one event). Never changed. */
export interface JournalLineRow {
  /** `<entryId>/<lineNo>`. */
  id: string;
  facilityId: string;
  /** The month the entry is booked in. */
  period: string;
  /** The event that posted it. */
  entryId: string;
  /** The entry's place in its month: the period stream's version. */
  entryVersion: number;
  lineNo: number;
  date: string;
  account: LedgerAccount;
  side: 'debit' | 'credit';
  usd: string;
  coin: Coin | null;
  /** Base units. */
  amount: string | null;
  kwh: string | null;
  basis: EnergyCostBasis | null;
  lateFor: string | null;
  memo: string;
}

export const JournalLineEntity = new EntitySchema<JournalLineRow>({
  name: 'JournalLineEntity',
  tableName: 'journal_lines',
  columns: {
    id: { type: 'varchar', length: 48, primary: true, primaryKeyConstraintName: 'pk_journal_lines' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    period: { type: 'varchar', length: 7 },
    entryId: { name: 'entry_id', type: 'varchar', length: 36 },
    entryVersion: { name: 'entry_version', type: 'integer' },
    lineNo: { name: 'line_no', type: 'integer' },
    date: { type: 'varchar', length: 10 },
    account: { type: 'varchar', length: 32 },
    side: { type: 'varchar', length: 6 },
    usd: { type: 'varchar', length: 32 },
    coin: { type: 'varchar', length: 8, nullable: true },
    amount: { type: 'varchar', length: 32, nullable: true },
    kwh: { type: 'varchar', length: 32, nullable: true },
    basis: { type: 'varchar', length: 16, nullable: true },
    lateFor: { name: 'late_for', type: 'varchar', length: 7, nullable: true },
    memo: { type: 'varchar', length: 500 },
  },
  indices: [
    { name: 'ix_journal_lines_period', columns: ['facilityId', 'period', 'entryVersion', 'lineNo'] },
    { name: 'ix_journal_lines_date', columns: ['facilityId', 'date'] },
  ],
});

export const journalLinesTable = tableOf(JournalLineEntity);

/** The row as the ledger's pure functions (`trialBalanceOf`) see a line. */
export function toJournalLine(row: JournalLineRow): JournalLine {
  return {
    account: row.account,
    side: row.side,
    usd: row.usd,
    ...(row.coin ? { coin: row.coin } : {}),
    ...(row.amount !== null ? { amount: row.amount } : {}),
    ...(row.kwh !== null ? { kwh: row.kwh } : {}),
    ...(row.basis ? { basis: row.basis } : {}),
  };
}
