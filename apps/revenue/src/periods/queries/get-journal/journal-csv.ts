import { csvLine } from '@fleet/service-kit';
import type { JournalEntryView } from '../../read-model/period.views';

const HEADER = [
  'entry_id',
  'date',
  'late_for',
  'memo',
  'account',
  'coin',
  'debit_usd',
  'credit_usd',
  'debit_amount',
  'credit_amount',
  'kwh',
  'basis',
];

/** The journal as an accountant imports it: one line per journal line, the entry repeated on each. */
export function journalCsv(entries: readonly JournalEntryView[]): string {
  let text = csvLine(HEADER);
  for (const entry of entries)
    for (const line of entry.lines)
      text += csvLine([
        entry.entryId,
        entry.date,
        entry.lateFor,
        entry.memo,
        line.account,
        line.coin,
        line.debitUsd,
        line.creditUsd,
        line.debitAmount,
        line.creditAmount,
        line.kwh,
        line.basis,
      ]);
  return text;
}
