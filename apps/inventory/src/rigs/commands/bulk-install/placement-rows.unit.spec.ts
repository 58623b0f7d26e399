import { DomainError } from '@fleet/event-sourcing';
import { BulkInstallRejectedError } from './bulk-install-rejected.error';
import { assertRowCount, rowsOfJson, validateRows } from './placement-rows';

describe('bulk install rows', () => {
  it('numbers JSON placements from 1', () => {
    expect(rowsOfJson({ placements: ['a', 'b'] })).toEqual([
      { row: 1, value: 'a' },
      { row: 2, value: 'b' },
    ]);
  });

  it('refuses more than 20,000 JSON placements as the body is read, saying how many there are', () => {
    const body = { placements: Array.from({ length: 20_001 }, () => ({})) };
    expect(() => rowsOfJson(body)).toThrow(
      expect.objectContaining({
        code: 'bulk-install-too-many',
        message: 'at most 20000 placements per request, not 20001: split the file',
        details: { maxPlacements: 20_000, placements: 20_001 },
      }),
    );
  });

  it.each([null, 'text', [], { rows: [] }, { placements: 'x' }])('refuses the JSON body %j', (body) => {
    expect(() => rowsOfJson(body)).toThrow(expect.objectContaining({ code: 'bulk-install-body-invalid' }));
  });

  it('refuses no rows and more than 20,000', () => {
    expect(() => assertRowCount([])).toThrow(expect.objectContaining({ code: 'bulk-install-empty' }));
    const rows = Array.from({ length: 20_001 }, (_, index) => ({ row: index + 1, value: {} }));
    expect(() => assertRowCount(rows)).toThrow(expect.objectContaining({ code: 'bulk-install-too-many' }));
    expect(() => assertRowCount(rows.slice(1))).not.toThrow();
  });

  it('keeps valid rows and says what is wrong with each malformed one, serial included when there is one', () => {
    const { valid, problems } = validateRows([
      { row: 2, value: { serialNumber: 'A-1', rack: 'R', slot: 1 } },
      { row: 3, value: { serialNumber: 'A-2', rack: 'R', slot: 'x' } },
      { row: 4, value: { rack: 'R', slot: 1 } },
      { row: 5, malformed: 'expected 3 fields', serialNumber: 'A-5' },
    ]);
    expect(valid).toEqual([{ row: 2, placement: { serialNumber: 'A-1', rack: 'R', slot: 1 } }]);
    expect(problems).toEqual([
      { row: 3, serialNumber: 'A-2', code: 'malformed-row', reason: expect.stringMatching(/^slot: /) },
      { row: 4, serialNumber: null, code: 'malformed-row', reason: expect.stringMatching(/^serialNumber: /) },
      { row: 5, serialNumber: 'A-5', code: 'malformed-row', reason: 'expected 3 fields' },
    ]);
  });
});

describe('BulkInstallRejectedError', () => {
  const unknown = {
    row: 4,
    serialNumber: 'B',
    code: 'unknown-serial',
    reason: 'no rig has serial number B',
  } as const;
  const malformed = { row: 2, serialNumber: null, code: 'malformed-row', reason: 'slot: too big' } as const;

  it('is a 409 when only the registry stands in the way', () => {
    const error = new BulkInstallRejectedError([unknown], 10);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'conflict', code: 'bulk-install-rejected' });
    expect(error.message).toBe(
      '1 of 10 rows cannot be installed, so none was: row 4 (B): no rig has serial number B',
    );
  });

  it('is a 400 when any row is wrong as written, and lists rows in order', () => {
    const error = new BulkInstallRejectedError([unknown, malformed], 10);
    expect(error.kind).toBe('invalid');
    expect(error.details).toEqual({ totalRows: 10, badRows: 2, rows: [malformed, unknown] });
  });

  it('names the first few problems in its message and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, index) => ({
      ...unknown,
      row: index + 2,
      serialNumber: `S${index}`,
    }));
    expect(new BulkInstallRejectedError(many, 8).message).toMatch(
      /row 6 \(S4\): [^;]+; and 3 more problems$/,
    );
  });
});
