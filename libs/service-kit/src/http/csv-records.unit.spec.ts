import { readCsvRecords } from './csv-records';

describe('readCsvRecords', () => {
  it('reads LF and CRLF lines, with or without a final line end', () => {
    expect(readCsvRecords('a,b\nc,d')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ]);
    expect(readCsvRecords('a,b\r\nc,d\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ]);
  });

  it('drops a byte order mark', () => {
    expect(readCsvRecords('\uFEFFa,b\n')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
  });

  it('keeps empty fields and does not trim', () => {
    expect(readCsvRecords(',  x ,\n')).toEqual([{ line: 1, fields: ['', '  x ', ''] }]);
  });

  it('reads quoted fields with commas, doubled quotes and line ends inside', () => {
    expect(readCsvRecords('"a,1","say ""hi""","two\nlines"\nnext,row\n')).toEqual([
      { line: 1, fields: ['a,1', 'say "hi"', 'two\nlines'] },
      { line: 3, fields: ['next', 'row'] },
    ]);
  });

  it('reads an empty quoted field', () => {
    expect(readCsvRecords('"",x')).toEqual([{ line: 1, fields: ['', 'x'] }]);
  });

  it('refuses a quote inside an unquoted field and goes on with the next line', () => {
    expect(readCsvRecords('ok,1\nbad"field,2\nok,3\n')).toEqual([
      { line: 1, fields: ['ok', '1'] },
      { line: 2, error: expect.stringContaining('a quote inside unquoted field 1') },
      { line: 3, fields: ['ok', '3'] },
    ]);
  });

  it('refuses text after a closing quote', () => {
    expect(readCsvRecords('"abc"d,1\nok,2')).toEqual([
      { line: 1, error: expect.stringContaining('unexpected character "d" after a closing quote') },
      { line: 2, fields: ['ok', '2'] },
    ]);
  });

  it('refuses a quoted field that never closes', () => {
    expect(readCsvRecords('ok,1\n"open,2\nmore\n')).toEqual([
      { line: 1, fields: ['ok', '1'] },
      { line: 2, error: 'a quoted field opened on line 2 is never closed' },
    ]);
  });

  it('refuses a bare carriage return', () => {
    expect(readCsvRecords('a\rb,1\nok,2\n')).toEqual([
      { line: 1, error: 'a carriage return that does not end a line' },
      { line: 2, fields: ['ok', '2'] },
    ]);
  });

  it('reads nothing from an empty text', () => {
    expect(readCsvRecords('')).toEqual([]);
  });
});
