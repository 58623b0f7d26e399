import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export type CsvCell = string | number | boolean | null;

/** `?format=csv` (or `Accept: text/csv`) asks for CSV; every report's query takes it. */
export const ReportFormat = z.enum(['json', 'csv']).optional().describe('csv: the same figures as CSV');

/** A text a spreadsheet would run as a formula (`=HYPERLINK(…)` as a vendor's name); numbers are not. */
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * RFC 4180: a header row, CRLF line ends, a cell quoted when it holds a comma, quote or line break.
 * A text cell that a spreadsheet would read as a formula is prefixed with `'` (OWASP's CSV injection).
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const cell = (value: CsvCell): string => {
    let text = value === null ? '' : String(value);
    if (typeof value === 'string' && FORMULA.test(text) && !NUMBER.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** CSV when the query says so, or when the client accepts text/csv and not JSON first. */
export function wantsCsv(format: 'json' | 'csv' | undefined, request: FastifyRequest): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = request.headers.accept ?? '';
  const csv = accept.indexOf('text/csv');
  const json = accept.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

/** Answers the view as JSON, or its CSV (named `<report>.csv`) when the client asked for CSV. */
export function replyWithReport<View>(
  request: FastifyRequest,
  reply: FastifyReply,
  format: 'json' | 'csv' | undefined,
  view: View,
  csv: { readonly name: string; readonly of: (view: View) => string },
): View | string {
  if (!wantsCsv(format, request)) return view;
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csv.name}.csv"`);
  return csv.of(view);
}
