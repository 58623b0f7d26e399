import type { FastifyRequest } from 'fastify';
import { toCsv, wantsCsv } from './csv';

const requestAccepting = (accept?: string) =>
  ({ headers: accept === undefined ? {} : { accept } }) as FastifyRequest;

describe('report CSV', () => {
  it('writes a header row and CRLF lines, quoting a cell with a comma, quote or line break, empty for null', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          ['plain', 'with, comma', 'say "hi"'],
          [1, null, 'two\nlines'],
          [true, 0, ''],
        ],
      ),
    ).toBe('a,b,c\r\nplain,"with, comma","say ""hi"""\r\n1,,"two\nlines"\r\ntrue,0,\r\n');
  });

  it('keeps a spreadsheet from running a text cell as a formula, and leaves negative amounts alone', () => {
    expect(
      toCsv(
        ['vendor', 'margin'],
        [
          ['=HYPERLINK("http://x")', '-12.50'],
          ['@SUM(A1)', -3],
          ['+1 555', '0'],
        ],
      ),
    ).toBe('vendor,margin\r\n"\'=HYPERLINK(""http://x"")",-12.50\r\n\'@SUM(A1),-3\r\n\'+1 555,0\r\n');
  });

  it('answers CSV when the query says so, else when text/csv comes before JSON in Accept', () => {
    expect(wantsCsv('csv', requestAccepting('application/json'))).toBe(true);
    expect(wantsCsv('json', requestAccepting('text/csv'))).toBe(false);
    expect(wantsCsv(undefined, requestAccepting('text/csv'))).toBe(true);
    expect(wantsCsv(undefined, requestAccepting('text/csv, application/json;q=0.5'))).toBe(true);
    expect(wantsCsv(undefined, requestAccepting('application/json, text/csv'))).toBe(false);
    expect(wantsCsv(undefined, requestAccepting('*/*'))).toBe(false);
    expect(wantsCsv(undefined, requestAccepting())).toBe(false);
  });
});
