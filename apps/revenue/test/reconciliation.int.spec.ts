import { randomUUID } from 'node:crypto';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { DataSource } from 'typeorm';
import { daysOf } from '../src/periods/domain/calendar';
import { VarianceFlagger } from '../src/reconciliation/commands/flag-variances/variance-flagger';
import { energyEnvelope } from './energy-envelope';
import { startRevenue, waitFor, type RevenueApp } from './revenue-app';
import { poweredRigs, rigEnvelope } from './rig-envelope';

interface StatementBody {
  status: string;
  rigHours: string | null;
  uptime: string | null;
  revenuePerThPerDayUsd: string | null;
  hashrate: { algorithm: string; onlineRigHours: string; hashrateUnitDays: string }[];
}

interface ReconciliationBody {
  tolerancePercent: string;
  lines: {
    day: string;
    coin: string;
    pool: string;
    hashrateShare: string | null;
    expectedAmount: string | null;
    receivedAmount: string;
    variancePercent: string | null;
    complete: boolean;
    flagged: boolean;
  }[];
}

const month = '2026-10';

/**
 * Rig time from power's and inventory's events on JetStream (20 × 8 Nano installed and powered on
 * the 1st of October, half of them shed by a curtailment at noon on the 2nd and never restored), the
 * statement's rig-hours and uptime, reconciliation against a pool that pays the 2nd short, its
 * `PayoutVarianceFlagged` appended once, and the close freezing the rig time.
 */
describe.each(TEST_DRIVERS)('revenue rig time and reconciliation on %s', (driver) => {
  let revenue: RevenueApp;
  let dataSource: DataSource;
  const facilityId = `us-tx-rec-${randomUUID().slice(0, 8)}`;
  const statementUrl = `/facilities/${facilityId}/statements/${month}`;
  const rigs = poweredRigs(20);

  const flagCount = async () => {
    const [row] = (await dataSource.query(
      `SELECT COUNT(*) AS count FROM events WHERE type = 'PayoutVarianceFlagged'`,
    )) as { count: string | number }[];
    return Number(row.count);
  };

  beforeAll(async () => {
    revenue = await startRevenue(driver);
    dataSource = revenue.app.get(DataSource);
  });
  afterAll(() => revenue?.close());

  it('counts rig-hours and uptime from power’s and inventory’s events, in whatever order they arrive', async () => {
    const curtailed = rigEnvelope('RigsCurtailed', facilityId, '2026-10-02T12:00:00Z', {
      curtailmentId: randomUUID(),
      part: 1,
      parts: 1,
      targetLoadWatts: 0,
      rigs: rigs.slice(0, 10),
    });
    // The curtailment first: its consumer may well run before the allocation's.
    await revenue.publishPowerEvent(curtailed);
    await revenue.publishPowerEvent(
      rigEnvelope('PowerAllocated', facilityId, '2026-10-01T00:00:00Z', {
        requestId: randomUUID(),
        part: 1,
        parts: 1,
        rigs,
      }),
    );
    for (const rig of rigs)
      await revenue.publishInventoryEvent(
        rigEnvelope('RigInstalled', facilityId, '2026-10-01T00:00:00Z', {
          rigId: rig.rigId,
          rack: rig.rack,
          slot: rig.slot,
        }),
      );
    // A redelivery with another message id: only the inbox keeps it from counting twice.
    await revenue.publishPowerEvent(curtailed, randomUUID());

    // Online: 20 × 24 h, then 20 × 12 h + 10 × 12 h, then 10 × 24 h for 29 days = 7,800 rig-hours;
    // installed: 20 × 24 h × 31 days = 14,880.
    const statement = await waitFor(async () => {
      const body = (await revenue.call('GET', statementUrl, { as: 'reports' })).json() as StatementBody;
      // Every event counted, the twenty installations included.
      return body.rigHours === '7800.000' && body.uptime === '0.5242' ? body : undefined;
    }, 'the rig time of October');
    expect(statement).toMatchObject({
      status: 'open',
      rigHours: '7800.000',
      uptime: '0.5242',
      hashrate: [
        // 7,800 rig-hours = 325 rig-days × 44 TH/s
        { algorithm: 'SHA-256', onlineRigHours: '7800.000', hashrateUnitDays: '14300.000000' },
        { algorithm: 'Equihash', onlineRigHours: '0.000', hashrateUnitDays: '0.000000' },
      ],
    });
  });

  it('reconciles each day and pool, and flags a pool paying short once', async () => {
    expect(
      (
        await revenue.call('PUT', `/facilities/${facilityId}/pools/Foundry`, {
          body: { coin: 'BTC', hashrateShare: '1' },
        })
      ).statusCode,
    ).toBe(200);
    const tooMuch = await revenue.call('PUT', `/facilities/${facilityId}/pools/Antpool`, {
      body: { coin: 'BTC', hashrateShare: '0.5' },
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'pool-shares-exceed-hashrate' });
    expect(
      (
        await revenue.call('PUT', `/facilities/unknown-facility/pools/Foundry`, {
          body: { coin: 'BTC', hashrateShare: '1' },
        })
      ).statusCode,
    ).toBe(404);

    await revenue.call('POST', '/hash-values', {
      body: {
        values: ['2026-10-01', '2026-10-02'].map((date) => ({
          coin: 'BTC',
          date,
          coinPerUnitPerDay: '0.0000005',
          unit: 'TH/s',
        })),
      },
    });
    const wrongUnit = await revenue.call('POST', '/hash-values', {
      body: { values: [{ coin: 'ZEC', date: '2026-10-01', coinPerUnitPerDay: '0.002', unit: 'TH/s' }] },
    });
    expect(wrongUnit.statusCode).toBe(400);
    // Expected: the 1st 20 × 44 × 0.0000005 = 0.00044 BTC, the 2nd 15 rig-days × 44 × 0.0000005 = 0.00033.
    for (const [day, amount] of [
      ['2026-10-01', '0.00044000'],
      ['2026-10-02', '0.00030000'],
    ])
      expect(
        (
          await revenue.call('POST', '/payouts', {
            body: {
              facilityId,
              pool: 'Foundry',
              coin: 'BTC',
              amount,
              paidAt: `${day}T23:00:00Z`,
              periodStart: `${day}T00:00:00Z`,
              periodEnd: `${day}T00:00:00Z`,
              txid: `rec${day.slice(-2)}`,
            },
          })
        ).statusCode,
      ).toBe(201);

    const reconciliation = (
      await revenue.call('GET', `/facilities/${facilityId}/reconciliation?month=${month}`, { as: 'reports' })
    ).json() as ReconciliationBody;
    expect(reconciliation.tolerancePercent).toBe('3');
    expect(reconciliation.lines.filter((line) => line.day <= '2026-10-02')).toEqual([
      expect.objectContaining({
        day: '2026-10-01',
        coin: 'BTC',
        pool: 'Foundry',
        hashrateShare: '1',
        expectedAmount: '0.00044000',
        receivedAmount: '0.00044000',
        variancePercent: '0.00',
        complete: true,
        flagged: false,
      }),
      expect.objectContaining({
        day: '2026-10-02',
        expectedAmount: '0.00033000',
        receivedAmount: '0.00030000',
        variancePercent: '-9.09',
        complete: true,
        flagged: true,
      }),
    ]);
    expect(
      (await revenue.call('GET', `/facilities/${facilityId}/reconciliation?month=2026-13`, { as: 'reports' }))
        .statusCode,
    ).toBe(400);

    // The payouts' appends start a sweep: the short day is flagged, and sweeping again adds nothing.
    await waitFor(async () => ((await flagCount()) === 1 ? true : undefined), 'the variance flagged');
    expect(await revenue.app.get(VarianceFlagger).sweep()).toBe(0);
    expect(await flagCount()).toBe(1);
    const [flag] = (await dataSource.query(
      `SELECT data FROM events WHERE type = 'PayoutVarianceFlagged'`,
    )) as { data: string | Record<string, unknown> }[];
    expect(typeof flag.data === 'string' ? JSON.parse(flag.data) : flag.data).toEqual({
      facilityId,
      pool: 'Foundry',
      coin: 'BTC',
      day: '2026-10-02',
      expectedAmount: '33000',
      receivedAmount: '30000',
      varianceAmount: '-3000',
      variancePercent: '-9.09',
      tolerancePercent: '3',
      revision: 1,
    });
  });

  it('freezes the month’s rig time with the close: a late power event changes nothing in it', async () => {
    await revenue.call('POST', '/prices', {
      body: {
        fixings: ['2026-10-01', '2026-10-02'].map((date) => ({ coin: 'BTC', date, usd: '91000.00' })),
      },
    });
    for (const day of daysOf(month))
      await revenue.publishPowerEvent(
        energyEnvelope({ facilityId, day, kwh: '1058.4', usd: '74.09', basis: 'estimated' }),
      );
    await waitFor(async () => {
      const closed = await revenue.call('POST', `/facilities/${facilityId}/periods/${month}/close`);
      return closed.statusCode === 200 ? true : undefined;
    }, 'October closed');
    const closed = await revenue.call('GET', statementUrl);
    expect(closed.json()).toMatchObject({ status: 'closed', rigHours: '7800.000', uptime: '0.5242' });
    // 0.00074 BTC × 91,000 = 67.34 USD over 14,300 TH/s-days
    expect((closed.json() as StatementBody).revenuePerThPerDayUsd).toBe('0.004709');

    await revenue.publishPowerEvent(
      rigEnvelope('PowerReleased', facilityId, '2026-10-15T00:00:00Z', {
        requestId: randomUUID(),
        part: 1,
        parts: 1,
        reason: 'requested',
        rigs: rigs.slice(10),
      }),
    );
    await waitFor(async () => {
      const [row] = (await dataSource.query(
        `SELECT COUNT(*) AS count FROM rig_time_sums WHERE facility_id = '${facilityId}' AND day = '2026-10-15'`,
      )) as { count: string | number }[];
      return Number(row.count) === 1 ? true : undefined;
    }, 'the late release counted');
    expect((await revenue.call('GET', statementUrl)).body).toBe(closed.body);
  });

  it('documents the new events in AsyncAPI and the new routes in OpenAPI', async () => {
    const asyncApi = (await revenue.call('GET', '/docs/asyncapi.json')).json() as {
      components: { messages: Record<string, unknown> };
    };
    expect(Object.keys(asyncApi.components.messages)).toEqual(
      expect.arrayContaining(['PoolAssigned', 'PayoutVarianceFlagged']),
    );
    const openApi = (await revenue.call('GET', '/docs-json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining([
        '/facilities/{facilityId}/reconciliation',
        '/facilities/{facilityId}/pools/{pool}',
      ]),
    );
  });
});
