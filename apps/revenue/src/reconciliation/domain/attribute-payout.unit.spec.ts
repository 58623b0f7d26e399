import { attributePayout } from './attribute-payout';

describe('attributePayout', () => {
  it('gives a payout for an instant to its day', () => {
    expect(attributePayout(5n, '2026-11-03T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual(
      new Map([['2026-11-03', 5n]]),
    );
  });

  it('spreads a payout pro rata by overlap, exactly, placing the remainder on the largest shares first', () => {
    // 36 h: 12 h of the 2nd, 24 h of the 3rd; 100 units → 33.3 and 66.6 → 33 + 67.
    const parts = attributePayout(100n, '2026-11-02T12:00:00Z', '2026-11-04T00:00:00Z');
    expect(parts).toEqual(
      new Map([
        ['2026-11-02', 33n],
        ['2026-11-03', 67n],
      ]),
    );
  });

  it('breaks ties on the earlier day, and always adds up to the amount', () => {
    expect(attributePayout(1n, '2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual(
      new Map([
        ['2026-11-01', 1n],
        ['2026-11-02', 0n],
      ]),
    );
    for (const amount of [0n, 1n, 7n, 99_999_999n, 123_456_789_012n]) {
      const parts = attributePayout(amount, '2026-11-01T05:17:00Z', '2026-11-09T23:59:59.999Z');
      expect([...parts.values()].reduce((sum, units) => sum + units, 0n)).toBe(amount);
      expect(parts.size).toBe(9);
    }
  });

  it('takes the offset of each instant into account (days are UTC days)', () => {
    // 01:00 UTC on the 3rd to 01:00 UTC on the 4th: 23 hours of the 3rd, 1 of the 4th.
    expect(attributePayout(24n, '2026-11-02T20:00:00-05:00', '2026-11-03T20:00:00-05:00')).toEqual(
      new Map([
        ['2026-11-03', 23n],
        ['2026-11-04', 1n],
      ]),
    );
  });
});
