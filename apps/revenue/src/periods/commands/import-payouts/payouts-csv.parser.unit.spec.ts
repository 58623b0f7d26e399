import { DomainError } from '@fleet/event-sourcing';
import { parsePayoutsCsv, PayoutImportRejectedError } from './payouts-csv.parser';

const HEADER = 'facilityId,pool,coin,amount,paidAt,periodStart,periodEnd,txid';
const LINE = 'us-tx-01,Foundry,BTC,1.5,2026-11-03T02:00:00Z,2026-11-02T00:00:00Z,2026-11-03T00:00:00Z,ab01';

function refusal(text: string): DomainError {
  try {
    parsePayoutsCsv(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the CSV was accepted');
}

describe('a pool statement in CSV', () => {
  it('reads one payout a line, its amount in base units, columns in any order, blank lines skipped', () => {
    const reordered = 'txid,amount,coin,pool,facilityId,paidAt,periodStart,periodEnd,notes';
    expect(
      parsePayoutsCsv(
        `${reordered}\r\nab02,0.00000001,ZEC,F2Pool,us-tx-01,2026-11-03T02:00:00Z,2026-11-02T00:00:00Z,2026-11-03T00:00:00Z,"paid, late"\r\n,,,,,,,,\r\n\r\n`,
      ),
    ).toEqual([
      {
        facilityId: 'us-tx-01',
        pool: 'F2Pool',
        coin: 'ZEC',
        amount: 1n,
        paidAt: '2026-11-03T02:00:00Z',
        periodStart: '2026-11-02T00:00:00Z',
        periodEnd: '2026-11-03T00:00:00Z',
        txid: 'ab02',
      },
    ]);
    expect(parsePayoutsCsv(`${HEADER}\n${LINE}\n`)[0].amount).toBe(150_000_000n);
  });

  it('refuses the whole file, naming every bad line with its txid and reason', () => {
    const error = refusal(
      [
        HEADER,
        LINE,
        LINE.replace('1.5', '1.123456789').replace('ab01', 'ab02'),
        LINE.replace('BTC', 'DOGE').replace('ab01', 'ab03'),
        'us-tx-01,Foundry,BTC',
        LINE.replace('2026-11-02T00:00:00Z', '2026-11-04T00:00:00Z').replace('ab01', 'ab05'),
        `${LINE.slice(0, -4)}"ab"06`,
      ].join('\n'),
    );
    expect(error).toBeInstanceOf(PayoutImportRejectedError);
    expect(error.kind).toBe('invalid');
    expect(error.details).toMatchObject({
      totalLines: 6,
      badLines: 5,
      lines: [
        { line: 3, txid: 'ab02', reason: 'amount: "1.123456789" has 9 decimals; BTC has 8' },
        { line: 4, txid: 'ab03', reason: expect.stringContaining('coin') },
        {
          line: 5,
          reason:
            'expected 8 fields (facilityId,pool,coin,amount,paidAt,periodStart,periodEnd,txid), found 3',
        },
        { line: 6, txid: 'ab05', reason: 'periodEnd: periodStart must not be after periodEnd' },
        { line: 7, reason: expect.stringContaining('quote') },
      ],
    });
    expect(error.message).toMatch(/^5 of 6 payouts cannot be booked, so none was: line 3 \(ab02\)/);
  });

  it.each([
    ['an empty body', '', 'csv-empty'],
    ['a header alone', `${HEADER}\n`, 'csv-no-rows'],
    [
      'a header without txid',
      'facilityId,pool,coin,amount,paidAt,periodStart,periodEnd\n',
      'csv-header-invalid',
    ],
    ['a column twice', `${HEADER},pool\n`, 'csv-header-invalid'],
  ])('refuses %s', (_what, text, code) => {
    expect(refusal(text).code).toBe(code);
  });
});
