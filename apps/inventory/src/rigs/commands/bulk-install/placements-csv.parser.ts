import { DomainError } from '@fleet/event-sourcing';
import { readCsvRecords } from './csv-records';
import type { RawPlacementRow } from './placement-row';

const COLUMNS = ['serialNumber', 'rack', 'slot'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Reads a `text/csv` body of placements: a header naming the columns serialNumber, rack and slot (in
 * any order; other columns, such as a spreadsheet's `notes`, are ignored), then one placement per
 * line. Blank lines are ignored, and so are lines whose fields are all blank (`,,` is how spreadsheets
 * export an empty row). A bad header refuses the whole file; a bad line becomes a malformed row so
 * that every bad line is reported together.
 */
export function parsePlacementsCsv(text: string): RawPlacementRow[] {
  const records = readCsvRecords(text).filter((record) => !('fields' in record && isBlank(record.fields)));
  const [header, ...lines] = records;
  if (!header)
    throw csvError('csv-empty', 'the CSV body is empty; expected the header serialNumber,rack,slot');
  if (!('fields' in header))
    throw csvError('csv-header-invalid', `the header line is malformed: ${header.error}`);
  const order = columnOrder(header.fields);
  if (lines.length === 0) throw csvError('csv-no-rows', 'the CSV has a header but no placements');

  return lines.map((record): RawPlacementRow => {
    if (!('fields' in record)) return { row: record.line, malformed: record.error };
    const { fields } = record;
    const serialNumber = fields[order.serialNumber];
    if (fields.length !== header.fields.length) {
      return {
        row: record.line,
        malformed: `expected ${header.fields.length} fields (${header.fields.join(',')}), found ${fields.length}`,
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
  });
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
