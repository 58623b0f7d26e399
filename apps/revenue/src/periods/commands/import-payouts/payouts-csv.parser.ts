import { parseCoinAmount, RecordPayoutRequest } from '@fleet/contracts';
import { DomainError } from '@fleet/event-sourcing';
import { csvRecordsOf } from '@fleet/service-kit';
import type { PayoutInput } from '../record-payouts.handler';

const COLUMNS = [
  'facilityId',
  'pool',
  'coin',
  'amount',
  'paidAt',
  'periodStart',
  'periodEnd',
  'txid',
] as const;
type Column = (typeof COLUMNS)[number];

export const MAX_PAYOUTS_PER_IMPORT = 20_000;
const NAMED_IN_MESSAGE = 5;

/** A line of the statement that cannot be booked, and why. */
export interface BadPayoutLine {
  /** The CSV line (the header is line 1). */
  readonly line: number;
  readonly txid?: string;
  readonly reason: string;
}

/** Nothing was booked: every bad line of the statement, each named. */
export class PayoutImportRejectedError extends DomainError {
  constructor(lines: readonly BadPayoutLine[], totalLines: number) {
    const named = lines
      .slice(0, NAMED_IN_MESSAGE)
      .map((bad) => `line ${bad.line}${bad.txid ? ` (${bad.txid})` : ''}: ${bad.reason}`);
    const more = lines.length > NAMED_IN_MESSAGE ? `; and ${lines.length - NAMED_IN_MESSAGE} more lines` : '';
    super(
      'invalid',
      'payout-import-rejected',
      `${lines.length} of ${totalLines} payouts cannot be booked, so none was: ${named.join('; ')}${more}`,
      { totalLines, badLines: lines.length, lines },
    );
  }
}

function csvError(code: string, message: string): DomainError {
  return new DomainError('invalid', code, message);
}

/**
 * A pool statement as CSV: a header naming the columns (any order; others are ignored), then one
 * payout a line. Every line is checked before anything is booked; any bad line refuses the file
 * with every bad line named. Blank lines are skipped.
 */
export function parsePayoutsCsv(text: string): PayoutInput[] {
  let header: { readonly names: readonly string[]; readonly order: Record<Column, number> } | undefined;
  const payouts: PayoutInput[] = [];
  const bad: BadPayoutLine[] = [];
  let total = 0;
  for (const record of csvRecordsOf(text)) {
    if ('fields' in record && record.fields.every((field) => field.trim() === '')) continue;
    if (!header) {
      if (!('fields' in record))
        throw csvError('csv-header-invalid', `the header line is malformed: ${record.error}`);
      header = { names: record.fields, order: columnOrder(record.fields) };
      continue;
    }
    total++;
    if (total > MAX_PAYOUTS_PER_IMPORT)
      throw csvError('too-many-payouts', `a statement may hold at most ${MAX_PAYOUTS_PER_IMPORT} payouts`);
    if (!('fields' in record)) {
      bad.push({ line: record.line, reason: record.error });
      continue;
    }
    const { fields } = record;
    const { order, names } = header;
    const txid = fields[order.txid] || undefined;
    if (fields.length !== names.length) {
      bad.push({
        line: record.line,
        ...(txid ? { txid } : {}),
        reason: `expected ${names.length} fields (${names.join(',')}), found ${fields.length}`,
      });
      continue;
    }
    const raw = Object.fromEntries(COLUMNS.map((column) => [column, fields[order[column]]]));
    const parsed = RecordPayoutRequest.safeParse(raw);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      bad.push({ line: record.line, ...(txid ? { txid } : {}), reason });
      continue;
    }
    try {
      payouts.push({ ...parsed.data, amount: parseCoinAmount(parsed.data.coin, parsed.data.amount) });
    } catch (error) {
      bad.push({ line: record.line, txid: parsed.data.txid, reason: `amount: ${(error as Error).message}` });
    }
  }
  if (!header) throw csvError('csv-empty', `the CSV body is empty; expected the header ${COLUMNS.join(',')}`);
  if (bad.length > 0) throw new PayoutImportRejectedError(bad, total);
  if (payouts.length === 0) throw csvError('csv-no-rows', 'the CSV has a header but no payouts');
  return payouts;
}

function columnOrder(names: readonly string[]): Record<Column, number> {
  const missing = COLUMNS.filter((column) => !names.includes(column));
  const repeated = COLUMNS.filter((column) => names.indexOf(column) !== names.lastIndexOf(column));
  if (missing.length > 0 || repeated.length > 0)
    throw csvError(
      'csv-header-invalid',
      `the header must name ${COLUMNS.join(', ')} once each (${[
        missing.length > 0 ? `missing ${missing.join(', ')}` : '',
        repeated.length > 0 ? `repeated ${repeated.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')})`,
    );
  return Object.fromEntries(COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<
    Column,
    number
  >;
}
