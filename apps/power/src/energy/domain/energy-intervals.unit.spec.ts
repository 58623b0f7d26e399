import { decimalString, type EnergyDecimal } from './energy-decimal';
import { energyOfInterval, type DatedTariff, type LoadChange, type Reading } from './energy-intervals';

const hour = 3_600_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');
// 1,300 Nanos at 2,100 W and PUE 1.05 from midnight: 2,866.5 kW at the meter.
const changes: LoadChange[] = [
  { atMs: t0 - hour, itWatts: 0, pueMilli: 1050 },
  { atMs: t0, itWatts: 1300 * 2100, pueMilli: 1050 },
];
const quarter = (n: number, kwh: string, meterId = 'main'): Reading => ({
  meterId,
  startMs: t0 + n * 15 * 60_000,
  minutes: 15,
  kwh,
});

/** A figure the test expects to be there, as a string. */
function stringOf(value: EnergyDecimal | null): string | null {
  return value === null ? null : decimalString(value);
}

/** A fixed tariff in force since long before. */
const fixed = (usdPerKwh: string): DatedTariff[] => [{ sinceMs: 0, tariff: { type: 'fixed', usdPerKwh } }];

describe('energy of an interval', () => {
  it('estimates allocated IT watts × time × PUE and costs it at a fixed tariff', () => {
    const energy = energyOfInterval(t0, t0 + hour, changes, [], fixed('0.045'), []);
    expect(decimalString(energy.estimatedKwh)).toBe('2866.5');
    expect(energy).toMatchObject({ basis: 'estimated', measuredKwh: null, pueMilli: 1050 });
    expect(stringOf(energy.usd)).toBe('128.9925');
  });

  it('uses the readings where they cover the interval, and the estimate where they do not', () => {
    const readings = [quarter(0, '700'), quarter(1, '710.25'), quarter(2, '720'), quarter(3, '730')];
    const covered = energyOfInterval(t0, t0 + hour, changes, readings, [], []);
    expect(covered.basis).toBe('measured');
    expect(decimalString(covered.kwh)).toBe('2860.25');
    expect(covered.usd).toBeNull();
    const gap = energyOfInterval(t0, t0 + hour, changes, readings.slice(1), [], []);
    expect(gap).toMatchObject({ basis: 'estimated', measuredComplete: false });
    expect(stringOf(gap.measuredKwh)).toBe('2160.25');
    expect(decimalString(gap.kwh)).toBe('2866.5');
    const twoMeters = energyOfInterval(t0, t0 + hour, changes, [...readings, quarter(0, '1', 'aux')], [], []);
    expect(twoMeters.basis).toBe('estimated');
  });

  it('prices each interval of energy at its market price, and says what has no price', () => {
    const prices = [
      { startMs: t0, minutes: 30, usdPerMwh: '40' },
      { startMs: t0 + hour / 2, minutes: 15, usdPerMwh: '-10.5' },
    ];
    const energy = energyOfInterval(
      t0,
      t0 + hour,
      changes,
      [],
      [{ sinceMs: 0, tariff: { type: 'market' } }],
      prices,
    );
    // 1,433.25 kWh × $40/MWh + 716.625 kWh × −$10.5/MWh; the last quarter has no price.
    expect(stringOf(energy.usd)).toBe('49.805438'); // 49.8054375, half-even to 6 decimals;
    expect(decimalString(energy.unpricedKwh)).toBe('716.625');
  });

  it('counts nothing before the facility ran', () => {
    const energy = energyOfInterval(t0 - 2 * hour, t0, changes, [], fixed('1'), []);
    expect(decimalString(energy.kwh)).toBe('0');
    expect(stringOf(energy.usd)).toBe('0');
  });

  it('costs each stretch at the tariff in force as it ran, and what ran before the first at the first', () => {
    const tariffs: DatedTariff[] = [
      { sinceMs: t0 + hour / 4, tariff: { type: 'fixed', usdPerKwh: '0.04' } },
      { sinceMs: t0 + hour / 2, tariff: { type: 'fixed', usdPerKwh: '0.08' } },
    ];
    const energy = energyOfInterval(t0, t0 + hour, changes, [], tariffs, []);
    // 716.625 kWh a quarter: two at $0.04, two at $0.08.
    expect(stringOf(energy.usd)).toBe('171.99');
    expect(stringOf(energy.unpricedKwh)).toBe('0');
  });
});
