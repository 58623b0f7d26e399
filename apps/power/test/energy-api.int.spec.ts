import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import type { Response } from 'light-my-request';
import { DataSource } from 'typeorm';
import { FacilityEnergyView } from '../src/energy/read-model/energy.views';
import { dayOfReadings, DAY_MS, facilityRunning, HOUR_MS, quarterReading } from './energy-fixtures';
import { eventCount } from './event-count';
import { PROBLEM_JSON, startPower, type CallOptions, type PowerApp } from './power-app';

/** The hour and the day that hold `ms`. */
const hourOf = (ms: number) => ms - (ms % HOUR_MS);
const dayStartOf = (ms: number) => ms - (ms % DAY_MS);
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(TEST_DRIVERS)('energy HTTP API on %s', (driver) => {
  let power: PowerApp;

  beforeAll(async () => {
    power = await startPower(driver);
  });
  afterAll(() => power?.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, options?: CallOptions) =>
    power.call(method, url, options);
  const events = () => eventCount(power.app.get(DataSource));

  async function ok(response: Promise<Response>): Promise<Record<string, unknown>> {
    const answer = await response;
    expect({ status: answer.statusCode, body: answer.json() as unknown }).toMatchObject({ status: 200 });
    return answer.json();
  }

  const energy = async (facilityId: string, from: number, to: number, interval: 'hour' | 'day') =>
    FacilityEnergyView.parse(
      await ok(
        call('GET', `/facilities/${facilityId}/energy?from=${iso(from)}&to=${iso(to)}&interval=${interval}`, {
          as: 'finance',
        }),
      ),
    );

  describe('a facility of ten Nanos powered on (22.05 kW at the meter)', () => {
    const facilityId = 'en-api';
    let poweredAt: number;
    let yesterday: number;

    beforeAll(async () => {
      poweredAt = await facilityRunning(power, facilityId, 10, 31);
      yesterday = dayStartOf(poweredAt) - DAY_MS;
    });

    it('estimates allocated IT watts × time × PUE from the power-on, without readings or tariff', async () => {
      const hour = hourOf(poweredAt);
      const answer = await energy(facilityId, hour, hour + 2 * HOUR_MS, 'hour');
      const [first, second] = answer.intervals;
      // 22.05 kW from the power-on to the end of its hour, then a whole hour.
      const expected = (22.05 * (hour + HOUR_MS - poweredAt)) / HOUR_MS;
      expect(Number(first.estimatedKwh)).toBeCloseTo(expected, 5);
      expect(second).toMatchObject({
        estimatedKwh: '22.05',
        kwh: '22.05',
        basis: 'estimated',
        measuredKwh: null,
        pue: 1.05,
        usd: null,
      });
      expect(answer.tariff).toBeNull();
    });

    it('uses readings that cover an interval, and the estimate where they do not', async () => {
      await ok(
        call('POST', `/facilities/${facilityId}/meter-readings`, {
          body: { readings: dayOfReadings(yesterday, '5.5') },
        }),
      );
      const days = await energy(facilityId, yesterday - DAY_MS, yesterday + DAY_MS, 'day');
      expect(days.intervals.map(({ basis, kwh, measuredKwh }) => ({ basis, kwh, measuredKwh }))).toEqual([
        { basis: 'estimated', kwh: '0', measuredKwh: null },
        { basis: 'measured', kwh: '528', measuredKwh: '528' },
      ]);
      // A quarter missing from an hour: the hour is estimated (nothing ran), its readings still shown.
      const partial = dayOfReadings(yesterday - DAY_MS, '1').slice(1, 4);
      await ok(call('POST', `/facilities/${facilityId}/meter-readings`, { body: { readings: partial } }));
      const [hour] = (await energy(facilityId, yesterday - DAY_MS, yesterday - DAY_MS + HOUR_MS, 'hour'))
        .intervals;
      expect(hour).toMatchObject({ basis: 'estimated', kwh: '0', measuredKwh: '3' });
    });

    it('records a reading once per meter and interval; another figure replaces it as a new event', async () => {
      const readings = [quarterReading(yesterday, '5.50'), quarterReading(yesterday + 15 * 60_000, '5.5')];
      const before = await events();
      expect(
        await ok(call('POST', `/facilities/${facilityId}/meter-readings`, { body: { readings } })),
      ).toEqual({
        facilityId,
        recorded: 0,
        unchanged: 2,
        correctedDays: 0,
      });
      expect(await events()).toBe(before);
      const corrected = [quarterReading(yesterday, '6.25'), quarterReading(yesterday + 15 * 60_000, '5.5')];
      expect(
        await ok(call('POST', `/facilities/${facilityId}/meter-readings`, { body: { readings: corrected } })),
      ).toMatchObject({ recorded: 1, unchanged: 1 });
      expect(await events()).toBe(before + 1);
      const [day] = (await energy(facilityId, yesterday, yesterday + DAY_MS, 'day')).intervals;
      expect(day.kwh).toBe('528.75');
    });

    it('costs energy at a fixed tariff, and at the market prices posted per interval', async () => {
      await ok(
        call('PUT', `/facilities/${facilityId}/tariff`, {
          as: 'admin',
          body: { type: 'fixed', usdPerKwh: '0.045' },
        }),
      );
      const [fixed] = (await energy(facilityId, yesterday, yesterday + DAY_MS, 'day')).intervals;
      expect(fixed.usd).toBe('23.79375'); // 528.75 kWh × 0.045
      // From yesterday on: the fixed tariff stays for what ran before.
      await ok(
        call('PUT', `/facilities/${facilityId}/tariff`, {
          as: 'admin',
          body: { type: 'market', effectiveFrom: iso(yesterday) },
        }),
      );
      const prices = [
        { start: iso(yesterday), minutes: 15, usdPerMwh: '100' },
        { start: iso(yesterday + 15 * 60_000), minutes: 15, usdPerMwh: '-20' },
      ];
      await ok(call('POST', `/facilities/${facilityId}/energy-prices`, { body: { intervals: prices } }));
      const [hour] = (await energy(facilityId, yesterday, yesterday + HOUR_MS, 'hour')).intervals;
      // 6.25 kWh × $100/MWh − 5.5 kWh × $20/MWh; the hour's last two quarters have no price.
      expect(hour).toMatchObject({ kwh: '22.75', usd: '0.515', unpricedKwh: '11' });
      // A later posting of an interval replaces its price.
      await ok(
        call('POST', `/facilities/${facilityId}/energy-prices`, {
          body: { intervals: [{ ...prices[1], usdPerMwh: '20' }] },
        }),
      );
      const [again] = (await energy(facilityId, yesterday, yesterday + HOUR_MS, 'hour')).intervals;
      expect(again.usd).toBe('0.735');
    });
  });

  describe('refuses', () => {
    it('a facility without a capacity record, with a 404 and nothing stored', async () => {
      const before = await events();
      for (const response of [
        await call('POST', '/facilities/en-nowhere/meter-readings', {
          body: { readings: [quarterReading(0, '1')] },
        }),
        await call('PUT', '/facilities/en-nowhere/tariff', { as: 'admin', body: { type: 'market' } }),
        await call('POST', '/facilities/en-nowhere/energy-prices', {
          body: { intervals: [{ start: iso(0), minutes: 15, usdPerMwh: '1' }] },
        }),
        await call('GET', '/facilities/en-nowhere/energy?from=2026-11-01&to=2026-11-02&interval=day'),
      ]) {
        expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
          status: 404,
          type: PROBLEM_JSON,
        });
        expect(response.json()).toMatchObject({ code: 'facility-not-found' });
      }
      expect(await events()).toBe(before);
    });

    it.each([
      [
        'two readings of one meter and interval',
        { readings: [quarterReading(0, '1'), quarterReading(0, '2')] },
      ],
      ['a float', { readings: [{ ...quarterReading(0, '1'), kwh: 1.5 }] }],
      ['a negative figure', { readings: [{ ...quarterReading(0, '1'), kwh: '-1' }] }],
      ['an interval off the minute', { readings: [quarterReading(1500, '1')] }],
    ])('readings with %s', async (_what, body) => {
      const response = await call('POST', '/facilities/en-api/meter-readings', { body });
      expect(response.statusCode).toBe(400);
    });

    it.each([
      ['a fixed tariff without a price', { type: 'fixed' }],
      ['a price as a number', { type: 'fixed', usdPerKwh: 0.045 }],
      ['a market tariff with a price', { type: 'market', usdPerKwh: '0.045' }],
    ])('%s', async (_what, body) => {
      expect((await call('PUT', '/facilities/en-api/tariff', { as: 'admin', body })).statusCode).toBe(400);
    });

    it('the tariff to operations, readings to finance', async () => {
      const tariff = await call('PUT', '/facilities/en-api/tariff', { body: { type: 'market' } });
      expect(tariff.statusCode).toBe(403);
      const readings = await call('POST', '/facilities/en-api/meter-readings', {
        as: 'finance',
        body: { readings: [quarterReading(0, '1')] },
      });
      expect(readings.statusCode).toBe(403);
    });

    it.each([
      'from=2026-11-01T00:30:00Z&to=2026-11-02&interval=hour',
      'from=2026-11-02&to=2026-11-01&interval=day',
      'from=2025-01-01&to=2027-06-01&interval=day',
      'from=2026-11-01&to=2026-11-02&interval=week',
      'from=2026-11-01',
    ])('the query %s', async (query) => {
      const response = await call('GET', `/facilities/en-api/energy?${query}`);
      expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
        status: 400,
        type: PROBLEM_JSON,
      });
    });
  });
});
