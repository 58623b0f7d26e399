import { jest } from '@jest/globals';
import type { TestDriver } from '@fleet/event-sourcing/testing';
import { describeHostileWrites, storeAnswer } from '@fleet/service-kit/testing';
import type { HostileWritesStore, WriteRoute } from '@fleet/service-kit/testing';
import { DataSource } from 'typeorm';
import { daysOf } from '../src/periods/domain/calendar';
import { energyEnvelope } from './energy-envelope';
import { eventCount } from './event-count';
import { startRevenue, waitFor, type RevenueApp } from './revenue-app';

// A thousand requests against two stores: on a loaded 2-core machine that can take most of a minute.
jest.setTimeout(120_000);

const facilityId = 'us-tx-hostile';
/** A month whose every day has an energy cost, closed by the fixtures: closing it again is accepted. */
const closedMonth = '2026-02';

/**
 * Every write route of revenue, each with a request it accepts once the fixtures exist: whatever
 * the tests send is that request broken in one way, so the break alone is why it is refused.
 */
const WRITE_ROUTES: readonly WriteRoute[] = [
  {
    method: 'POST',
    path: '/payouts',
    body: {
      facilityId,
      pool: 'Foundry',
      coin: 'BTC',
      amount: '0.12345678',
      paidAt: '2026-11-03T01:00:00Z',
      periodStart: '2026-11-02T00:00:00Z',
      periodEnd: '2026-11-03T00:00:00Z',
      txid: 'ab12',
    },
  },
  {
    method: 'POST',
    path: '/payouts/import',
    csv:
      'facilityId,pool,coin,amount,paidAt,periodStart,periodEnd,txid\n' +
      `${facilityId},F2Pool,ZEC,12.5,2026-11-05T02:00:00Z,2026-11-04T00:00:00Z,2026-11-05T00:00:00Z,cd34\n`,
  },
  {
    method: 'POST',
    path: '/prices',
    body: { fixings: [{ coin: 'BTC', date: '2026-11-03', usd: '91234.56' }] },
  },
  {
    method: 'POST',
    path: '/hash-values',
    body: { values: [{ coin: 'BTC', date: '2026-11-03', coinPerUnitPerDay: '0.00000051', unit: 'TH/s' }] },
  },
  { method: 'POST', path: '/facilities/{facilityId:facility}/periods/{month:month}/close' },
  {
    method: 'PUT',
    path: '/facilities/{facilityId:facility}/pools/{pool:pool}',
    body: { coin: 'BTC', hashrateShare: '0.5' },
  },
];

/** Revenue on a fresh database of the driver, with one month of the facility closed. */
async function startStore(
  driver: TestDriver,
): Promise<HostileWritesStore & { readonly revenue: RevenueApp }> {
  const revenue = await startRevenue(driver);
  const dataSource = revenue.app.get(DataSource);
  const days = daysOf(closedMonth);
  for (const day of days)
    await revenue.publishPowerEvent(
      energyEnvelope({ facilityId, day, kwh: '100', usd: '7', basis: 'measured' }),
    );
  await waitFor(async () => {
    const [row] = (await dataSource.query('SELECT COUNT(*) AS count FROM energy_days')) as {
      count: string;
    }[];
    return Number(row.count) === days.length ? true : undefined;
  }, 'the fixture month’s energy costs');
  const closed = await revenue.call('POST', `/facilities/${facilityId}/periods/${closedMonth}/close`);
  if (closed.statusCode !== 200) throw new Error(`set-up failed: ${closed.statusCode} ${closed.body}`);
  return {
    name: driver,
    revenue,
    ids: { facility: facilityId, month: closedMonth, pool: 'Foundry' },
    async send({ method, url, headers, payload }) {
      const response = await revenue.call(method, url, { body: payload, headers: { ...headers } });
      return storeAnswer(response.statusCode, response.headers, response.body);
    },
    storedCount: () => eventCount(dataSource),
    dispose: () => revenue.close(),
  };
}

describeHostileWrites({
  service: 'revenue',
  routes: WRITE_ROUTES,
  startStore,
  generatedPerRoute: 200,
  seed: 0x4e7,
});
