import type { EnergyCostAccrued, PowerEvent } from '@fleet/contracts';
import type { EventStore, RecordedEvent } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '@fleet/service-kit';
import { dayOfReadings, DAY_MS, facilityRunning } from '../../../../test/energy-fixtures';
import { startPower, type PowerApp } from '../../../../test/power-app';
import { dayOf, dayStartMs } from '../../domain/energy-days';
import { energyStreamId } from '../../domain/energy-id';
import { EnergyCostAccrual } from './energy-cost-accrual';

async function accruals(power: PowerApp, facilityId: string): Promise<RecordedEvent<EnergyCostAccrued>[]> {
  const { events } = await power.app
    .get<EventStore>(EVENT_STORE)
    .readStream<PowerEvent>(energyStreamId(facilityId));
  return events.filter(
    (event): event is RecordedEvent<EnergyCostAccrued> => event.type === 'EnergyCostAccrued',
  );
}

const figures = (events: readonly RecordedEvent<EnergyCostAccrued>[]) =>
  events.map(({ data: { day, kwh, usd, basis, revision } }) => ({ day, kwh, usd, basis, revision }));

/** `days` after the day of `ms`, at 00:05 UTC: the clock the accrual is given. */
const daysAfter = (ms: number, days: number) => new Date(dayStartMs(dayOf(ms)) + days * DAY_MS + 5 * 60_000);

describe.each(TEST_DRIVERS)('the daily energy cost on %s', (driver) => {
  let power: PowerApp;
  let accrual: EnergyCostAccrual;

  beforeAll(async () => {
    power = await startPower(driver);
    accrual = power.app.get(EnergyCostAccrual);
  });
  afterAll(() => power?.close());

  describe('a facility of ten Nanos (22.05 kW at the meter) at $0.045 a kWh', () => {
    const facilityId = 'acc-nanos';
    let poweredAt: number;
    let firstDay: string;
    let secondDay: string;

    beforeAll(async () => {
      poweredAt = await facilityRunning(power, facilityId, 10, 41);
      await power.call('PUT', `/facilities/${facilityId}/tariff`, {
        as: 'admin',
        body: { type: 'fixed', usdPerKwh: '0.045' },
      });
      firstDay = dayOf(poweredAt);
      secondDay = dayOf(poweredAt + DAY_MS);
    });

    it('publishes nothing before a day is over', async () => {
      await accrual.accrueDueDays(new Date(poweredAt));
      expect(await accruals(power, facilityId)).toEqual([]);
    });

    it('publishes each day once it is over, estimated, from the day of the capacity on', async () => {
      expect(await accrual.accrueDueDays(daysAfter(poweredAt, 3))).toBeGreaterThanOrEqual(3);
      const published = figures(await accruals(power, facilityId));
      expect(published.map((figure) => figure.day)).toEqual([
        firstDay,
        secondDay,
        dayOf(poweredAt + 2 * DAY_MS),
      ]);
      // 22.05 kW × 24 h = 529.2 kWh, × $0.045 = $23.814.
      expect(published[1]).toEqual({
        day: secondDay,
        kwh: '529.2',
        usd: '23.814',
        basis: 'estimated',
        revision: 1,
      });
      expect(Number(published[0].kwh)).toBeGreaterThan(0);
    });

    it('publishes a day exactly once, however many rounds run at once', async () => {
      const now = daysAfter(poweredAt, 4);
      await Promise.all([accrual.accrueDueDays(now), accrual.accrueDueDays(now), accrual.accrueDueDays(now)]);
      await accrual.accrueDueDays(now);
      const days = figures(await accruals(power, facilityId)).map((figure) => figure.day);
      expect(days).toHaveLength(4);
      expect(new Set(days).size).toBe(4);
    });

    it('publishes a day again, revision 2 naming the first, when its readings arrive late', async () => {
      const readings = dayOfReadings(dayStartMs(secondDay), '5.5');
      const first = await power.call('POST', `/facilities/${facilityId}/meter-readings`, {
        body: { readings },
      });
      expect(first.json()).toMatchObject({ recorded: 96, correctedDays: 1 });
      const again = await power.call('POST', `/facilities/${facilityId}/meter-readings`, {
        body: { readings },
      });
      expect(again.json()).toMatchObject({ recorded: 0, correctedDays: 0 });
      const ofDay = (await accruals(power, facilityId)).filter((event) => event.data.day === secondDay);
      expect(figures(ofDay)).toEqual([
        { day: secondDay, kwh: '529.2', usd: '23.814', basis: 'estimated', revision: 1 },
        { day: secondDay, kwh: '528', usd: '23.76', basis: 'measured', revision: 2 },
      ]);
      expect(ofDay[1].data.correctsEventId).toBe(ofDay[0].eventId);
    });

    it('and again when a reading of it is corrected', async () => {
      const corrected = { ...dayOfReadings(dayStartMs(secondDay), '5.5')[0], kwh: '6.5' };
      const response = await power.call('POST', `/facilities/${facilityId}/meter-readings`, {
        body: { readings: [corrected] },
      });
      expect(response.json()).toMatchObject({ recorded: 1, correctedDays: 1 });
      const ofDay = (await accruals(power, facilityId)).filter((event) => event.data.day === secondDay);
      expect(figures(ofDay).at(-1)).toEqual({
        day: secondDay,
        kwh: '529',
        usd: '23.805',
        basis: 'measured',
        revision: 3,
      });
      expect(ofDay[2].data.correctsEventId).toBe(ofDay[1].eventId);
      // Readings of a day not published yet publish nothing.
      const future = dayOfReadings(dayStartMs(dayOf(poweredAt + 10 * DAY_MS)), '1').slice(0, 2);
      const early = await power.call('POST', `/facilities/${facilityId}/meter-readings`, {
        body: { readings: future },
      });
      expect(early.json()).toMatchObject({ recorded: 2, correctedDays: 0 });
    });

    it('publishes again the days a tariff from an earlier date changes', async () => {
      const response = await power.call('PUT', `/facilities/${facilityId}/tariff`, {
        as: 'admin',
        body: { type: 'fixed', usdPerKwh: '0.05', effectiveFrom: secondDay },
      });
      // The second day (measured, 529 kWh) and the two after it (estimated, 529.2 kWh); not the first.
      expect(response.json()).toMatchObject({
        correctedDays: 3,
        effectiveFrom: `${secondDay}T00:00:00.000Z`,
      });
      const latest = new Map(
        (await accruals(power, facilityId)).map((event) => [event.data.day, event.data]),
      );
      expect(latest.get(secondDay)).toMatchObject({ usd: '26.45', revision: 4 });
      expect(latest.get(dayOf(poweredAt + 2 * DAY_MS))).toMatchObject({ usd: '26.46', revision: 2 });
      expect(latest.get(firstDay)).toMatchObject({ revision: 1 });
    });
  });

  it('publishes a day again when its market prices are posted late', async () => {
    const facilityId = 'acc-market';
    const poweredAt = await facilityRunning(power, facilityId, 1, 42);
    await power.call('PUT', `/facilities/${facilityId}/tariff`, { as: 'admin', body: { type: 'market' } });
    await accrual.accrueDueDays(daysAfter(poweredAt, 2));
    const day = dayOf(poweredAt + DAY_MS);
    // 2.205 kW × 24 h, no price posted yet.
    expect(figures(await accruals(power, facilityId))[1]).toEqual({
      day,
      kwh: '52.92',
      usd: '0',
      basis: 'estimated',
      revision: 1,
    });
    const response = await power.call('POST', `/facilities/${facilityId}/energy-prices`, {
      body: { intervals: [{ start: `${day}T00:00:00Z`, minutes: 60, usdPerMwh: '100' }] },
    });
    expect(response.json()).toMatchObject({ intervals: 1, correctedDays: 1 });
    // The day's first hour, 2.205 kWh, at $100/MWh.
    expect(figures(await accruals(power, facilityId)).at(-1)).toEqual({
      day,
      kwh: '52.92',
      usd: '0.2205',
      basis: 'estimated',
      revision: 2,
    });
  });

  it('publishes zero for a facility where nothing ran', async () => {
    const facilityId = 'acc-idle';
    const since = await facilityRunning(power, facilityId, 0, 0);
    await accrual.accrueDueDays(daysAfter(since, 2));
    expect(figures(await accruals(power, facilityId))).toEqual([
      { day: dayOf(since), kwh: '0', usd: '0', basis: 'estimated', revision: 1 },
      { day: dayOf(since + DAY_MS), kwh: '0', usd: '0', basis: 'estimated', revision: 1 },
    ]);
  });
});

describe('the daily energy cost with two instances on one PostgreSQL database, and a restart', () => {
  let database: TestDatabase;
  const facilityId = 'acc-shared';

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database?.dispose());

  it('publishes each day once', async () => {
    const first = await startPower('postgres', { sharedDatabase: database });
    let second: PowerApp | undefined;
    try {
      second = await startPower('postgres', { sharedDatabase: database, sharedNames: first.names });
      const poweredAt = await facilityRunning(first, facilityId, 5, 51);
      const now = daysAfter(poweredAt, 5);
      await Promise.all([
        first.app.get(EnergyCostAccrual).accrueDueDays(now),
        second.app.get(EnergyCostAccrual).accrueDueDays(now),
      ]);
      expect(figures(await accruals(first, facilityId)).map((figure) => figure.day)).toHaveLength(5);

      // A restart: the stream says what was published, so nothing is published again.
      await second.close();
      second = await startPower('postgres', { sharedDatabase: database, sharedNames: first.names });
      expect(await second.app.get(EnergyCostAccrual).accrueDueDays(now)).toBe(0);
      // A day later, the one new day.
      expect(await second.app.get(EnergyCostAccrual).accrueDueDays(daysAfter(poweredAt, 6))).toBe(1);
      expect(await accruals(second, facilityId)).toHaveLength(6);
    } finally {
      await second?.close();
      await first.close();
    }
  });
});
