import { CoinAmountError, formatCoinAmount, parseCoinAmount } from './coin';
import { compareDecimals, ratioOf, roundUsd, sumDecimals, sumUsd, valueInUsd } from './usd';

describe('coin amounts in base units', () => {
  it('parses decimal strings to satoshi and zatoshi exactly', () => {
    expect(parseCoinAmount('BTC', '0.12345678')).toBe(12_345_678n);
    expect(parseCoinAmount('BTC', '1')).toBe(100_000_000n);
    expect(parseCoinAmount('ZEC', '21000000.00000001')).toBe(2_100_000_000_000_001n);
    expect(parseCoinAmount('ZEC', '0.5')).toBe(50_000_000n);
    expect(parseCoinAmount('BTC', '0')).toBe(0n);
  });

  it('refuses more decimals than the coin has, rather than rounding', () => {
    expect(() => parseCoinAmount('BTC', '0.123456789')).toThrow(CoinAmountError);
    expect(() => parseCoinAmount('ZEC', '1.000000000')).toThrow('has 9 decimals; ZEC has 8');
  });

  it.each(['', '-1', '1e3', '01', '1.', '.5', ' 1', '0x10', '1,5'])('refuses %p', (text) => {
    expect(() => parseCoinAmount('BTC', text)).toThrow(CoinAmountError);
  });

  it('formats with every decimal of the coin, negative amounts too', () => {
    expect(formatCoinAmount('BTC', 12_345_678n)).toBe('0.12345678');
    expect(formatCoinAmount('BTC', 100_000_000n)).toBe('1.00000000');
    expect(formatCoinAmount('ZEC', 1n)).toBe('0.00000001');
    expect(formatCoinAmount('ZEC', 0n)).toBe('0.00000000');
    expect(formatCoinAmount('BTC', -250_000_000n)).toBe('-2.50000000');
  });

  it('round-trips through format and parse', () => {
    for (const base of [0n, 1n, 99_999_999n, 123_456_789_012n])
      expect(parseCoinAmount('BTC', formatCoinAmount('BTC', base))).toBe(base);
  });
});

describe('USD valuation', () => {
  it('values a coin amount at its fixing, rounded half-even to the cent', () => {
    // 0.5 BTC × 91234.56 = 45617.28 exactly
    expect(valueInUsd('BTC', 50_000_000n, '91234.56')).toBe('45617.28');
    // 0.00000001 × 50 = 0.0000005 → 0.00
    expect(valueInUsd('BTC', 1n, '50')).toBe('0.00');
    // 0.125 × 0.1 = 0.0125 → 0.01
    expect(valueInUsd('ZEC', 12_500_000n, '0.1')).toBe('0.01');
    // ties: x.xx5 goes to the even cent
    expect(valueInUsd('ZEC', 100_000_000n, '10.125')).toBe('10.12');
    expect(valueInUsd('ZEC', 100_000_000n, '10.135')).toBe('10.14');
    expect(roundUsd('2.345')).toBe('2.34');
    expect(roundUsd('2.355')).toBe('2.36');
  });

  it('stays exact for large amounts (no 20-digit rounding before the cent)', () => {
    // 12,345,678.12345678 BTC × 98765.43210987
    expect(valueInUsd('BTC', 1_234_567_812_345_678n, '98765.43210987')).toBe('1219326234552.58');
  });

  it('sums the rounded entries, not the unrounded values', () => {
    const entries = [valueInUsd('BTC', 1n, '500000'), valueInUsd('BTC', 1n, '500000')];
    // each 0.005 → 0.00 (half-even), so the sum is 0.00 though the unrounded sum is 0.01
    expect(entries).toEqual(['0.00', '0.00']);
    expect(sumUsd(entries)).toBe('0.00');
    expect(sumUsd(['0.10', '0.20', '-0.30'])).toBe('0.00');
  });

  it('compares, sums and divides decimals exactly', () => {
    expect(compareDecimals('1.50', '1.5')).toBe(0);
    expect(compareDecimals('0.00000052', '0.00000051')).toBe(1);
    expect(sumDecimals(['68880.5', '-0.25', '0.000001'])).toBe('68880.250001');
    expect(ratioOf('144648.00', '2066400', 6)).toBe('0.070000');
    expect(ratioOf('1.00', '0', 6)).toBeNull();
  });
});
