import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import type { EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import { DataSource } from 'typeorm';
import { metadata, monthEvents } from '../bench/month-events';
import { PERIOD_STREAM_TYPE, periodStreamId } from '../src/periods/domain/period-id';
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
    const store = revenue.app.get<EventStore>(EVENT_STORE);
    // A closed month as the handlers decide it: payouts valued after the fact, energy corrections
    // (revision 2), the close with its rig time.
    const closedFacility = 'us-tx-closed';
    await store.appendToStream(
      periodStreamId(closedFacility, '2026-09'),
      PERIOD_STREAM_TYPE,
      monthEvents(closedFacility, '2026-09'),
      { expectedVersion: 'no_stream', metadata: metadata(closedFacility) },
    );
    await revenue.call('POST', '/prices', {
      body: { fixings: [{ coin: 'BTC', date: '2026-11-02', usd: '91000.10' }] },
    });
    await revenue.call('POST', '/hash-values', {
      body: { values: [{ coin: 'ZEC', date: '2026-11-02', coinPerUnitPerDay: '0.002', unit: 'kSol/s' }] },
    });
    for (const [facility, txid, coin, paidAt] of [
      [facilityId, 'a1', 'BTC', '2026-11-02T01:00:00Z'],
      [facilityId, 'a2', 'ZEC', '2026-11-03T01:00:00Z'],
      // Late: its month is closed, so it is booked in the next one (lateFor), with no fixing yet.
      [closedFacility, 'late1', 'BTC', '2026-09-20T01:00:00Z'],
    ])
      expect(
        (
          await revenue.call('POST', '/payouts', {
            body: {
              facilityId: facility,
              pool: 'Foundry',
              coin,
              amount: '1.5',
              paidAt,
              periodStart: paidAt,
              periodEnd: paidAt,
              txid,
            },
          })
        ).statusCode,
      ).toBe(201);
    // Values a payout of this month and, in the open month, the late one of the closed month.
    await revenue.call('POST', '/prices', {
      body: {
        fixings: [
          { coin: 'ZEC', date: '2026-11-03', usd: '41.37' },
          { coin: 'BTC', date: '2026-09-20', usd: '64000.00' },
        ],
      },
    });
    // Assigned twice: the second share replaces the first.
    for (const hashrateShare of ['1', '0.5'])
      await revenue.call('PUT', `/facilities/${facilityId}/pools/Foundry`, {
        body: { coin: 'BTC', hashrateShare },
      });
    await revenue.publishPowerEvent(
      energyEnvelope({ facilityId, day: '2026-11-02', kwh: '10', usd: '0.7', basis: 'estimated' }),
    );
    // A late correction of a day of the closed month: booked in the open month, over revision 2.
    await revenue.publishPowerEvent(
      energyEnvelope({
        facilityId: closedFacility,
        day: '2026-09-01',
        kwh: '70000',
        usd: '4900.00',
        basis: 'measured',
        revision: 3,
      }),
    );
    const dataSource = revenue.app.get(DataSource);
    await waitFor(async () => {
      const rows = (await dataSource.query(
        `SELECT id FROM energy_days WHERE id = '${facilityId}/2026-11-02' OR revision = 3`,
      )) as unknown[];
      return rows.length === 2 ? true : undefined;
    }, 'the energy costs booked');

    // SQLite's page cache is enlarged for the rebuild only (PostgreSQL's is the server's).
    const cacheSize = async () =>
      driver === 'sqlite' ? JSON.stringify(await dataSource.query('PRAGMA cache_size')) : 'the server’s';
    const cacheBefore = await cacheSize();
    const indexes = async () =>
      JSON.stringify(
        driver === 'sqlite'
          ? await dataSource.query(`SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`)
          : await dataSource.query(
              `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
            ),
      );
    const indexesBefore = await indexes();
    const before = await tables(dataSource);
    const lines = JSON.parse(before['journal_lines'] ?? '[]') as { late_for: string | null }[];
    expect(lines.filter((line) => line.late_for === '2026-09').length).toBeGreaterThanOrEqual(4);
    expect(before['periods']).toContain('closed');
    const outcome = await rebuildReadModels(store);
    expect(outcome.events).toBeGreaterThanOrEqual(190);
    expect(await tables(dataSource)).toEqual(before);
    expect(await cacheSize()).toBe(cacheBefore);
    expect(await indexes()).toBe(indexesBefore);
  });

  it('never lets a reader see the tables half-built', async () => {
    const facilityId = 'us-tx-reading';
    const store = revenue.app.get<EventStore>(EVENT_STORE);
    await store.appendToStream(
      periodStreamId(facilityId, '2026-08'),
      PERIOD_STREAM_TYPE,
      monthEvents(facilityId, '2026-08'),
      { expectedVersion: 'no_stream', metadata: metadata(facilityId) },
    );
    const journal = async () => {
      const response = await revenue.call('GET', `/facilities/${facilityId}/journal?month=2026-08`);
      return (response.json() as { entries: unknown[] }).entries.length;
    };
    const entries = await journal();
    expect(entries).toBeGreaterThan(100);
    // Reads sent while the rebuild runs: each sees the whole journal, before it or after it.
    const rebuilding = rebuildReadModels(store);
    const reads = await Promise.all(Array.from({ length: 20 }, journal));
    await rebuilding;
    expect(reads).toEqual(reads.map(() => entries));
  });
});
