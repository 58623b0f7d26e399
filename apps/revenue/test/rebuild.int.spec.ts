import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import type { EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import { DataSource } from 'typeorm';
import { PROJECTED_TABLES } from '../src/read-models';
import { rebuildReadModels } from '../src/rebuild/rebuild-read-models';
import { energyEnvelope } from './energy-envelope';
import { startRevenue, waitFor, type RevenueApp } from './revenue-app';

/** Every projected table, its rows in a stable order, as text. */
async function tables(dataSource: DataSource): Promise<Record<string, string>> {
  const contents: Record<string, string> = {};
  for (const table of PROJECTED_TABLES)
    contents[table] = JSON.stringify(await dataSource.query(`SELECT * FROM ${table} ORDER BY id`));
  return contents;
}

describe.each(TEST_DRIVERS)('rebuilding revenue’s read models on %s', (driver) => {
  let revenue: RevenueApp;

  beforeAll(async () => {
    revenue = await startRevenue(driver);
  });
  afterAll(() => revenue?.close());

  it('gives back exactly the tables the inline projections wrote', async () => {
    const facilityId = 'us-tx-rebuild';
    await revenue.call('POST', '/prices', {
      body: { fixings: [{ coin: 'BTC', date: '2026-11-02', usd: '91000.10' }] },
    });
    await revenue.call('POST', '/hash-values', {
      body: { values: [{ coin: 'ZEC', date: '2026-11-02', coinPerUnitPerDay: '0.002', unit: 'kSol/s' }] },
    });
    for (const [txid, coin, paidAt] of [
      ['a1', 'BTC', '2026-11-02T01:00:00Z'],
      ['a2', 'ZEC', '2026-11-03T01:00:00Z'],
    ])
      await revenue.call('POST', '/payouts', {
        body: {
          facilityId,
          pool: 'Foundry',
          coin,
          amount: '1.5',
          paidAt,
          periodStart: '2026-11-01T00:00:00Z',
          periodEnd: '2026-11-02T00:00:00Z',
          txid,
        },
      });
    await revenue.call('POST', '/prices', {
      body: { fixings: [{ coin: 'ZEC', date: '2026-11-03', usd: '41.37' }] },
    });
    await revenue.call('PUT', `/facilities/${facilityId}/pools/Foundry`, {
      body: { coin: 'BTC', hashrateShare: '1' },
    });
    await revenue.publishPowerEvent(
      energyEnvelope({ facilityId, day: '2026-11-02', kwh: '10', usd: '0.7', basis: 'estimated' }),
    );
    const dataSource = revenue.app.get(DataSource);
    await waitFor(async () => {
      const rows = (await dataSource.query('SELECT id FROM energy_days')) as unknown[];
      return rows.length === 1 ? true : undefined;
    }, 'the energy cost booked');

    // SQLite's page cache is enlarged for the rebuild only (PostgreSQL's is the server's).
    const cacheSize = async () =>
      driver === 'sqlite' ? JSON.stringify(await dataSource.query('PRAGMA cache_size')) : 'the server’s';
    const cacheBefore = await cacheSize();
    const before = await tables(dataSource);
    expect(JSON.parse(before['journal_lines'] ?? '[]')).toHaveLength(2 * 4);
    const outcome = await rebuildReadModels(revenue.app.get<EventStore>(EVENT_STORE), undefined, 3);
    expect(outcome.events).toBeGreaterThanOrEqual(7);
    expect(await tables(dataSource)).toEqual(before);
    expect(await cacheSize()).toBe(cacheBefore);
  });
});
