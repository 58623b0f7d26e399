import { MAX_PLACEMENTS_PER_REQUEST } from '@fleet/contracts';
import { DomainError } from '@fleet/event-sourcing';
import type { CsvRecord } from '@fleet/service-kit';
import { parsePlacementsCsv, placementRowsOf } from './placements-csv.parser';

function refusal(text: string): DomainError {
  try {
    parsePlacementsCsv(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the CSV to be refused');
}

describe('parsePlacementsCsv', () => {
  it('reads placements, numbering rows by their line in the file', () => {
    expect(parsePlacementsCsv('serialNumber,rack,slot\r\nAM-1,A-1,1\r\nAM-2,A-1,2\r\n')).toEqual([
      { row: 2, value: { serialNumber: 'AM-1', rack: 'A-1', slot: 1 } },
      { row: 3, value: { serialNumber: 'AM-2', rack: 'A-1', slot: 2 } },
    ]);
  });

  it('accepts the columns in any order', () => {
    expect(parsePlacementsCsv('slot,serialNumber,rack\n7,AM-1,B-2\n')).toEqual([
      { row: 2, value: { serialNumber: 'AM-1', rack: 'B-2', slot: 7 } },
    ]);
  });

  it('skips blank lines but keeps counting them', () => {
    expect(parsePlacementsCsv('serialNumber,rack,slot\n\nAM-1,A-1,1\n\n')).toEqual([
      { row: 3, value: { serialNumber: 'AM-1', rack: 'A-1', slot: 1 } },
    ]);
  });

  it('leaves a slot that is not plain digits as text, for validation to name', () => {
    expect(parsePlacementsCsv('serialNumber,rack,slot\nAM-1,A-1, 3\nAM-2,A-1,3.0\n')).toEqual([
      { row: 2, value: { serialNumber: 'AM-1', rack: 'A-1', slot: ' 3' } },
      { row: 3, value: { serialNumber: 'AM-2', rack: 'A-1', slot: '3.0' } },
    ]);
  });

  it('skips lines whose fields are all blank, as spreadsheets export empty rows', () => {
    expect(
      parsePlacementsCsv(
        'serialNumber,rack,slot\n,,\nAM-1,A-1,1\n  \n\t\n, ,\n"",,""\r\n,\nAM-2,A-1,2\n,,\n',
      ),
    ).toEqual([
      { row: 3, value: { serialNumber: 'AM-1', rack: 'A-1', slot: 1 } },
      { row: 9, value: { serialNumber: 'AM-2', rack: 'A-1', slot: 2 } },
    ]);
  });

  it('ignores columns it does not know, wherever they are', () => {
    expect(
      parsePlacementsCsv('notes,slot,serialNumber,Location,rack,notes\nnew,7,AM-1,TX,B-2,"a, b"\n,,,,,\n'),
    ).toEqual([{ row: 2, value: { serialNumber: 'AM-1', rack: 'B-2', slot: 7 } }]);
  });

  it('marks a line with the wrong number of fields as malformed, keeping its serial', () => {
    expect(parsePlacementsCsv('serialNumber,rack,slot\nAM-1,A-1\nAM-2,A-1,2,extra\n,x\n')).toEqual([
      { row: 2, malformed: 'expected 3 fields (serialNumber,rack,slot), found 2', serialNumber: 'AM-1' },
      { row: 3, malformed: 'expected 3 fields (serialNumber,rack,slot), found 4', serialNumber: 'AM-2' },
      { row: 4, malformed: 'expected 3 fields (serialNumber,rack,slot), found 2' },
    ]);
    expect(parsePlacementsCsv('serialNumber,rack,slot,notes\nAM-1,A-1,1\n')).toEqual([
      {
        row: 2,
        malformed: 'expected 4 fields (serialNumber,rack,slot,notes), found 3',
        serialNumber: 'AM-1',
      },
    ]);
  });

  it('reports a badly quoted line and reads on', () => {
    const rows = parsePlacementsCsv('serialNumber,rack,slot\nAM"1,A-1,1\nAM-2,A-1,2\n');
    expect(rows).toEqual([
      { row: 2, malformed: expect.stringContaining('a quote inside unquoted field') },
      { row: 3, value: { serialNumber: 'AM-2', rack: 'A-1', slot: 2 } },
    ]);
  });

  it('refuses an empty body', () => {
    expect(refusal('')).toMatchObject({ kind: 'invalid', code: 'csv-empty' });
    expect(refusal('\n\n')).toMatchObject({ kind: 'invalid', code: 'csv-empty' });
    expect(refusal(',,\n \n')).toMatchObject({ kind: 'invalid', code: 'csv-empty' });
  });

  it('refuses a header without rows', () => {
    expect(refusal('serialNumber,rack,slot\n')).toMatchObject({ kind: 'invalid', code: 'csv-no-rows' });
    expect(refusal('serialNumber,rack,slot\n,,\n')).toMatchObject({ kind: 'invalid', code: 'csv-no-rows' });
  });

  it.each([
    ['serial,rack,slot', 'missing serialNumber; unknown column "serial"'],
    ['serialNumber,rack', 'missing slot'],
    ['serialNumber,rack,notes', 'missing slot; unknown column "notes"'],
    ['serialNumber,rack,slot,slot', 'repeated slot'],
    [
      'SerialNumber,Rack,Slot',
      'missing serialNumber, rack, slot; unknown column "SerialNumber", "Rack", "Slot"',
    ],
    ['AM-1,A-1,1', 'unknown column "AM-1", "A-1", "1"'],
  ])('refuses the header %j', (header, why) => {
    const error = refusal(`${header}\nAM-1,A-1,1\n`);
    expect(error).toMatchObject({ kind: 'invalid', code: 'csv-header-invalid' });
    expect(error.message).toContain(
      'expected the header serialNumber,rack,slot (in any order, other columns ignored)',
    );
    expect(error.message).toContain(why);
  });

  it('refuses a malformed header line', () => {
    expect(refusal('"serialNumber,rack,slot\nAM-1,A-1,1\n')).toMatchObject({
      kind: 'invalid',
      code: 'csv-header-invalid',
    });
  });

  it('reads no record past the first row over the cap', () => {
    let read = 0;
    function* endless(): Generator<CsvRecord> {
      yield { line: 1, fields: ['serialNumber', 'rack', 'slot'] };
      for (;;) {
        read += 1;
        // Reading on would be the defect: fail loudly rather than run forever.
        if (read > MAX_PLACEMENTS_PER_REQUEST + 1) throw new Error('read past the cap');
        yield { line: read + 1, fields: ['a'] };
      }
    }
    expect(() => placementRowsOf(endless())).toThrow(
      expect.objectContaining({
        code: 'bulk-install-too-many',
        details: { maxPlacements: MAX_PLACEMENTS_PER_REQUEST },
      }),
    );
    expect(read).toBe(MAX_PLACEMENTS_PER_REQUEST + 1);
  });

  it('counts only rows, not the blank lines between them, against the cap', () => {
    const rows = Array.from({ length: MAX_PLACEMENTS_PER_REQUEST }, (_, index) => `S-${index},R,1\n\n,,\n`);
    expect(parsePlacementsCsv(`serialNumber,rack,slot\n${rows.join('')}`)).toHaveLength(
      MAX_PLACEMENTS_PER_REQUEST,
    );
  });
});
