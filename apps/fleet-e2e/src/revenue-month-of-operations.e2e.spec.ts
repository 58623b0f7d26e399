import { EnergyCostAccrued, PayoutVarianceFlagged } from '@fleet/contracts';
import { EventFeed } from './support/event-feed';
import { API_KEYS, call, eventually, Fleet, type Driver } from './support/fleet';
import { installRigs, powerOnAll } from './support/seed-rigs';
import type { ServiceProcess } from './support/service-process';

/**
 * The seed's facility: 1,200 × 8 Nano (BTC, 44 TH/s, 2.1 kW) and 100 × Antminer Z15 (ZEC,
 * 420 kSol/s, 1.51 kW), 1,300 rigs on 3 MW at PUE 1.05 (2,804.55 kW at the meter).
 */
const BATCHES = [
  { model: 'asicminer-8-nano', quantity: 1200 },
  { model: 'bitmain-antminer-z15', quantity: 100 },
];
const RIGS = 1300;
/** (1,200 × 2.1 kW + 100 × 1.51 kW) × 1.05 × 24 h. */
const KWH_OF_A_FULL_DAY = '67309.2';
/** The same at the fixed tariff of $0.07 a kWh. */
const USD_OF_A_FULL_DAY = '4711.644';
/**
 * Hash values chosen so that the month earns what the seed expects (more than 3.5 M USD):
 * 1,200 × 44 TH/s × 0.000025 = 1.32 BTC a day; 100 × 420 kSol/s × 0.005 = 210 ZEC a day.
 */
const BTC_PER_TH_DAY = '0.000025';
const ZEC_PER_KSOL_DAY = '0.005';
const BTC_OF_A_FULL_DAY = '1.32000000';
const ZEC_OF_A_FULL_DAY = '210.00000000';
/** F2Pool pays 10 % short; Foundry pays what the rigs earned. */
const ZEC_PAID_A_DAY = '189.00000000';

const DAY_MS = 86_400_000;
const START = '2026-10-01T00:00:00Z';
const october = Array.from({ length: 31 }, (_, index) => `2026-10-${String(index + 1).padStart(2, '0')}`);
/** A pool's transaction id is letters and digits: `2026-10-05` → `20261005`. */
const compact = (day: string) => day.replaceAll('-', '');
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString();

interface StatementView {
  status: string;
  revenueUsd: string;
  revenueByCoin: { coin: string; amount: string; usd: string }[];
  energy: { kwh: string; usd: string; byBasis: { basis: string; kwh: string; usd: string }[] };
  rigHours: string | null;
  priorPeriodAdjustments: { usd: string; months: string[] };
}

interface ReconciliationView {
  lines: {
    day: string;
    coin: string;
    pool: string;
    expectedAmount: string | null;
    receivedAmount: string;
    variancePercent: string | null;
    complete: boolean;
    flagged: boolean;
  }[];
}

/**
 * Issue 8 end to end, through the five real services with a controlled business clock
 * (`FLEET_CLOCK=controlled`) from 1 October 2026: the seed's facility ordered, received, racked and
 * powered on the first morning; the clock moved on a day at a time on every service, power
 * publishing each day's `EnergyCostAccrued` from the real allocations once the day is over, revenue
 * counting rig time from power's and inventory's events and expecting the pools' payouts from it;
 * one pool paying 10 % short flagged on every day; October refused while a fixing is missing, then
 * closed; a late October payout landing in November while October's statement and journal stay
 * byte for byte the same.
 */
describe.each<Driver>(['sqlite', 'postgres'])('revenue: a month of operations (%s)', (driver) => {
  let fleet: Fleet;
  let revenue: ServiceProcess;
  let reporting: ServiceProcess;
  const facilityId = `e2e-month-${driver}-${Date.now().toString(36)}`;
  const services = () => [fleet.procurement, fleet.inventory, fleet.power, revenue, reporting];

  beforeAll(async () => {
    const clock = { FLEET_CLOCK: 'controlled', FLEET_CLOCK_START: START };
    fleet = await Fleet.start(driver, clock);
    revenue = await fleet.startService('revenue');
    reporting = await fleet.startService('reporting');
  }, 300_000);

  afterAll(async () => {
    await fleet?.dispose();
  });

  async function setClock(now: string): Promise<void> {
    for (const service of services()) {
      const answer = await call<{ now: string }>(service, 'PUT', '/admin/clock', { now });
      expect({ service: service.options.name, status: answer.status }).toEqual({
        service: service.options.name,
        status: 200,
      });
    }
  }

  async function getText(url: string, accept: string): Promise<string> {
    const response = await fetch(`${revenue.baseUrl}${url}`, {
      headers: { authorization: `Bearer ${API_KEYS.reports}`, accept },
    });
    expect(response.status).toBe(200);
    return response.text();
  }

  const postPayout = (pool: string, coin: string, amount: string, day: string, txid: string) =>
    call<{ period: string; lateFor: string | null }>(revenue, 'POST', '/payouts', {
      facilityId,
      pool,
      coin,
      amount,
      paidAt: `${day}T23:00:00Z`,
      periodStart: `${day}T00:00:00Z`,
      periodEnd: `${day}T00:00:00Z`,
      txid,
    });

  it('runs October: energy from power, payouts reconciled, a short pool flagged, the month closed for good', async () => {
    // 1 October, the first minutes: the rigs arrive, are racked and powered on.
    await installRigs(fleet, facilityId, BATCHES);
    const capacity = await call(fleet.power, 'PUT', `/facilities/${facilityId}/capacity`, {
      schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 3000 }],
      reserveKw: 0,
      pue: 1.05,
    });
    expect(capacity.status).toBe(200);
    const tariff = await call(fleet.power, 'PUT', `/facilities/${facilityId}/tariff`, {
      type: 'fixed',
      usdPerKwh: '0.07',
    });
    expect(tariff.status).toBe(200);
    await powerOnAll(fleet, facilityId, RIGS);

    // The month's hash values, and the fixings of every day but the last.
    const hashValues = october.flatMap((date) => [
      { coin: 'BTC', date, coinPerUnitPerDay: BTC_PER_TH_DAY, unit: 'TH/s' },
      { coin: 'ZEC', date, coinPerUnitPerDay: ZEC_PER_KSOL_DAY, unit: 'kSol/s' },
    ]);
    expect((await call(revenue, 'POST', '/hash-values', { values: hashValues })).status).toBe(200);
    const fixings = october.slice(0, -1).flatMap((date, index) => [
      { coin: 'BTC', date, usd: `${91_000 + index * 37}.25` },
      { coin: 'ZEC', date, usd: `${41 + index}.37` },
    ]);
    expect((await call(revenue, 'POST', '/prices', { fixings })).status).toBe(200);

    // A day at a time: the day ends on every service, power publishes its energy, the pools pay it.
    const energyFeed = new EventFeed(fleet.power, new Set(['EnergyCostAccrued']));
    const accruedDays = async () =>
      (await energyFeed.read())
        .map((event) => EnergyCostAccrued.schema.parse(event.data))
        .filter((data) => data.facilityId === facilityId);
    for (const day of october) {
      await setClock(dayAfter(day));
      await eventually(
        async () => ((await accruedDays()).some((data) => data.day === day) ? true : undefined),
        60_000,
        () => `power publishing the energy of ${day}`,
      );
      expect((await postPayout('Foundry', 'BTC', BTC_OF_A_FULL_DAY, day, `btc${compact(day)}`)).status).toBe(
        201,
      );
      expect((await postPayout('F2Pool', 'ZEC', ZEC_PAID_A_DAY, day, `zec${compact(day)}`)).status).toBe(201);
    }

    // One EnergyCostAccrued per October day, estimated from the allocations, none of November yet.
    const accrued = await accruedDays();
    expect(accrued.map((data) => data.day)).toEqual(october);
    expect(accrued.every((data) => data.basis === 'estimated' && data.revision === 1)).toBe(true);
    // The first day counts from the power-on, a few minutes in; every other is a full day.
    expect(Number(accrued[0].kwh)).toBeGreaterThan(0);
    expect(Number(accrued[0].kwh)).toBeLessThan(Number(KWH_OF_A_FULL_DAY));
    for (const data of accrued.slice(1))
      expect({ kwh: data.kwh, usd: data.usd }).toEqual({ kwh: KWH_OF_A_FULL_DAY, usd: USD_OF_A_FULL_DAY });
    const kwhOfMonth = accrued.reduce((sum, data) => sum + Number(data.kwh), 0);

    // Reconciliation from the real rig time: Foundry paid what was expected, F2Pool 10 % short.
    const reconciliation = await eventually(
      async () => {
        const { body } = await call<ReconciliationView>(
          revenue,
          'GET',
          `/facilities/${facilityId}/reconciliation?month=2026-10`,
        );
        return body.lines.length === 62 && body.lines.every((line) => line.complete) ? body : undefined;
      },
      60_000,
      () => 'every October line of both pools complete',
    );
    const fullDay = reconciliation.lines.filter((line) => line.day === '2026-10-15');
    expect(
      fullDay.map(({ pool, expectedAmount, receivedAmount, flagged }) => ({
        pool,
        expectedAmount,
        receivedAmount,
        flagged,
      })),
    ).toEqual(
      expect.arrayContaining([
        {
          pool: 'Foundry',
          expectedAmount: BTC_OF_A_FULL_DAY,
          receivedAmount: BTC_OF_A_FULL_DAY,
          flagged: false,
        },
        { pool: 'F2Pool', expectedAmount: ZEC_OF_A_FULL_DAY, receivedAmount: ZEC_PAID_A_DAY, flagged: true },
      ]),
    );
    const flaggedLines = reconciliation.lines.filter((line) => line.flagged);
    expect(flaggedLines.map((line) => `${line.pool} ${line.day}`).sort()).toEqual(
      october.map((day) => `F2Pool ${day}`),
    );
    expect(
      flaggedLines
        .filter((line) => line.day !== october[0])
        .every((line) => line.variancePercent === '-10.00'),
    ).toBe(true);

    // …and revenue published exactly those flags.
    const flagFeed = new EventFeed(revenue, new Set(['PayoutVarianceFlagged']));
    const flags = await eventually(
      async () => {
        const ours = (await flagFeed.read())
          .map((event) => PayoutVarianceFlagged.schema.parse(event.data))
          .filter((data) => data.facilityId === facilityId);
        return new Set(ours.map((data) => data.day)).size === october.length ? ours : undefined;
      },
      60_000,
      () => 'a PayoutVarianceFlagged for each of F2Pool’s days',
    );
    expect(new Set(flags.map((data) => `${data.pool} ${data.coin}`))).toEqual(new Set(['F2Pool ZEC']));

    // Revenue booked power's energy of every day.
    const statementUrl = `/facilities/${facilityId}/statements/2026-10`;
    await eventually(
      async () => {
        const { body } = await call<StatementView>(revenue, 'GET', statementUrl);
        return Math.abs(Number(body.energy.kwh) - kwhOfMonth) < 0.001 ? body : undefined;
      },
      60_000,
      () => 'revenue booking the energy of every October day',
    );

    // Closing is refused while a payout waits for its fixing, and says which.
    const close = () =>
      call<{
        code: string;
        details: { missing: { payoutsWithoutFixing: unknown[]; daysWithoutEnergyCost: unknown[] } };
      }>(revenue, 'POST', `/facilities/${facilityId}/periods/2026-10/close`);
    const early = await close();
    expect(early.status).toBe(409);
    expect(early.body.details.missing).toEqual({
      payoutsWithoutFixing: [
        { pool: 'Foundry', txid: 'btc20261031', coin: 'BTC', day: '2026-10-31' },
        { pool: 'F2Pool', txid: 'zec20261031', coin: 'ZEC', day: '2026-10-31' },
      ],
      daysWithoutEnergyCost: [],
    });
    const last = await call<{ valuedPayouts: number }>(revenue, 'POST', '/prices', {
      fixings: [
        { coin: 'BTC', date: '2026-10-31', usd: '92111.11' },
        { coin: 'ZEC', date: '2026-10-31', usd: '70.01' },
      ],
    });
    expect(last.body.valuedPayouts).toBe(2);
    expect((await close()).status).toBe(200);

    const statement = await getText(statementUrl, 'application/json');
    const figures = JSON.parse(statement) as StatementView;
    expect(figures.status).toBe('closed');
    expect(Number(figures.revenueUsd)).toBeGreaterThan(3_500_000);
    expect(figures.revenueByCoin.map(({ coin, amount }) => ({ coin, amount }))).toEqual([
      { coin: 'BTC', amount: '40.92000000' },
      { coin: 'ZEC', amount: '5859.00000000' },
    ]);
    expect(Number(figures.rigHours)).toBeGreaterThan(0);
    const journalUrl = `/facilities/${facilityId}/journal?month=2026-10`;
    const journalJson = await getText(journalUrl, 'application/json');
    const journalCsv = await getText(journalUrl, 'text/csv');

    // A payout of 31 October that Foundry reports on 1 November: booked in November, late for October.
    const late = await call<{ period: string; lateFor: string | null }>(revenue, 'POST', '/payouts', {
      facilityId,
      pool: 'Foundry',
      coin: 'BTC',
      amount: '0.25',
      paidAt: '2026-10-31T23:59:00Z',
      periodStart: '2026-10-31T00:00:00Z',
      periodEnd: '2026-10-31T23:00:00Z',
      txid: 'btclate',
    });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ period: '2026-11', lateFor: '2026-10' });
    const november = await call<StatementView>(
      revenue,
      'GET',
      `/facilities/${facilityId}/statements/2026-11`,
    );
    expect(november.body.priorPeriodAdjustments.months).toEqual(['2026-10']);

    expect(await getText(statementUrl, 'application/json')).toBe(statement);
    expect(await getText(journalUrl, 'application/json')).toBe(journalJson);
    expect(await getText(journalUrl, 'text/csv')).toBe(journalCsv);
  }, 1_500_000);
});
