/**
 * One RFC 4180 line: a field with a comma, a quote or a line end is quoted (its quotes doubled);
 * null and undefined are empty fields. Ends with CRLF, as spreadsheets and accounting imports expect.
 */
export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return (
    fields
      .map((field) => {
        const text = field === null || field === undefined ? '' : String(field);
        return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
      })
      .join(',') + '\r\n'
  );
}
