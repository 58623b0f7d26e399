import { MAX_PLACEMENTS_PER_REQUEST } from '@fleet/contracts';
import { DomainError } from '@fleet/event-sourcing';
import { csvRecordsOf, type CsvRecord } from '@fleet/service-kit';
import type { RawPlacementRow } from './placement-row';
import { tooManyPlacements } from './placement-rows';

const COLUMNS = ['serialNumber', 'rack', 'slot'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Reads a `text/csv` body of placements: a header naming the columns serialNumber, rack and slot (in
 * any order; other columns, such as a spreadsheet's `notes`, are ignored), then one placement per
 * line. Blank lines are ignored, and so are lines whose fields are all blank (`,,` is how spreadsheets
 * export an empty row). A bad header refuses the whole file; a bad line becomes a malformed row so
 * that every bad line is reported together. Reading stops at the first row past the cap on
 * placements: a file of millions of lines never becomes millions of rows.
 */
export function parsePlacementsCsv(text: string): RawPlacementRow[] {
  return placementRowsOf(csvRecordsOf(text));
}

/** The rows of the records, read one by one up to the cap on placements. */
export function placementRowsOf(records: Iterable<CsvRecord>): RawPlacementRow[] {
  let header: { readonly fields: readonly string[]; readonly order: Record<Column, number> } | undefined;
  const rows: RawPlacementRow[] = [];
  for (const record of records) {
    if ('fields' in record && isBlank(record.fields)) continue;
    if (!header) {
      if (!('fields' in record))
        throw csvError('csv-header-invalid', `the header line is malformed: ${record.error}`);
      header = { fields: record.fields, order: columnOrder(record.fields) };
      continue;
    }
    rows.push(rowOf(record, header.fields, header.order));
    if (rows.length > MAX_PLACEMENTS_PER_REQUEST) throw tooManyPlacements();
  }
  if (!header)
    throw csvError('csv-empty', 'the CSV body is empty; expected the header serialNumber,rack,slot');
  if (rows.length === 0) throw csvError('csv-no-rows', 'the CSV has a header but no placements');
  return rows;
}

function rowOf(record: CsvRecord, names: readonly string[], order: Record<Column, number>): RawPlacementRow {
  if (!('fields' in record)) return { row: record.line, malformed: record.error };
  const { fields } = record;
  const serialNumber = fields[order.serialNumber];
  if (fields.length !== names.length) {
    return {
      row: record.line,
      malformed: `expected ${names.length} fields (${names.join(',')}), found ${fields.length}`,
      ...(serialNumber ? { serialNumber } : {}),
    };
  }
  const slot = fields[order.slot];
  return {
    row: record.line,
    // Only plain digits become a number; anything else stays text so validation names it.
    value: {
      serialNumber,
      rack: fields[order.rack],
      slot: /^[0-9]{1,9}$/.test(slot) ? Number(slot) : slot,
    },
  };
}

function columnOrder(names: readonly string[]): Record<Column, number> {
  const missing = COLUMNS.filter((column) => !names.includes(column));
  const repeated = COLUMNS.filter((column) => names.indexOf(column) !== names.lastIndexOf(column));
  if (missing.length > 0 || repeated.length > 0) {
    const unknown = names.filter((name) => !(COLUMNS as readonly string[]).includes(name));
    const found = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      repeated.length > 0 ? `repeated ${repeated.join(', ')}` : '',
      // Ignored when the header is otherwise right; named here as the likely misspellings.
      missing.length > 0 && unknown.length > 0
        ? `unknown column ${unknown.map((name) => JSON.stringify(name)).join(', ')}`
        : '',
    ].filter(Boolean);
    throw csvError(
      'csv-header-invalid',
      `expected the header ${COLUMNS.join(',')} (in any order, other columns ignored); ${found.join('; ')}`,
    );
  }
  return {
    serialNumber: names.indexOf('serialNumber'),
    rack: names.indexOf('rack'),
    slot: names.indexOf('slot'),
  };
}

/** An empty line, a whitespace-only one, or one of empty fields only. */
function isBlank(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

function csvError(code: string, message: string): DomainError {
  return new DomainError('invalid', code, message);
}
