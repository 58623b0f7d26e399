import { csvLine } from './csv-line';
import { readCsvRecords } from './csv-records';

describe('csvLine', () => {
  it('quotes only the fields that need it, and leaves null fields empty', () => {
    expect(csvLine(['a', 1, null, undefined, 'b c'])).toBe('a,1,,,b c\r\n');
    expect(csvLine(['x,y', 'say "hi"', 'two\nlines'])).toBe('"x,y","say ""hi""","two\nlines"\r\n');
  });

  it('reads back as written', () => {
    const fields = ['payout Foundry a1', 'x,y', '"quoted"', 'two\r\nlines', ''];
    expect(readCsvRecords(csvLine(fields))).toEqual([{ line: 1, fields }]);
  });
});
