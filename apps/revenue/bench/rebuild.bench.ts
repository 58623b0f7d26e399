/**
 * Rebuilding revenue's read models from its events (`rebuildReadModels`: every projected table
 * emptied and refilled page by page), on SQLite and PostgreSQL, against a raw read of the same
 * events (`readAll`, the same pages) in the same run. One JSON line per driver. Target (issue 8):
 * ≥ 100,000 events/s.
 *
 *   node --import ./libs/event-sourcing/bench/register.mjs apps/revenue/bench/rebuild.bench.ts
 *
 * The data: 100 facilities × 12 closed months of `month-events.ts` (about 230,000 events, 480,000
 * journal lines), plus a year of BTC and ZEC fixings and hash values.
 */
import {
  REVENUE_EVENTS,
  schemaVersionsOf,
  type CoinPriceFixed,
  type HashValuePublished,
} from '@fleet/contracts';
import { createEventStore } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { REVENUE_MIGRATIONS } from '../src/migrations';
import { daysOf } from '../src/periods/domain/calendar';
import { PERIOD_STREAM_TYPE, periodStreamId } from '../src/periods/domain/period-id';
import { REVENUE_ENTITIES, REVENUE_PROJECTIONS } from '../src/read-models';
import { rebuildReadModels } from '../src/rebuild/rebuild-read-models';
import { metadata, monthEvents } from './month-events';
import { serverCpuMs } from './server-cpu';

const FACILITIES = Number(process.env['REBUILD_BENCH_FACILITIES'] ?? 100);
const MONTHS = Array.from({ length: 12 }, (_, index) => `2026-${String(index + 1).padStart(2, '0')}`);
const TARGET_EVENTS_PER_SECOND = 100_000;
/** The baseline's page: `readAll` as a projection catching up would read. */
const RAW_READ_PAGE_SIZE = 20_000;

/** This process's CPU (user + system) in ms since `since`: the database server's is not in it. */
function cpuMsSince(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

for (const driver of TEST_DRIVERS) {
  const database = await createTestDatabase(driver, {
    entities: REVENUE_ENTITIES,
    migrations: REVENUE_MIGRATIONS,
  });
  try {
    const store = createEventStore(database.dataSource, {
      schemaVersions: schemaVersionsOf(REVENUE_EVENTS),
      projections: REVENUE_PROJECTIONS,
    });
    const days = MONTHS.flatMap(daysOf);
    const fixings: CoinPriceFixed[] = days.flatMap((date) => [
      { type: 'CoinPriceFixed', data: { coin: 'BTC', date, usd: '91234.56' } },
      { type: 'CoinPriceFixed', data: { coin: 'ZEC', date, usd: '41.37' } },
    ]);
    const hashValues: HashValuePublished[] = days.flatMap((date) => [
      {
        type: 'HashValuePublished',
        data: { coin: 'BTC', date, coinPerUnitPerDay: '0.0000005', unit: 'TH/s' },
      },
      { type: 'HashValuePublished', data: { coin: 'ZEC', date, coinPerUnitPerDay: '0.002', unit: 'kSol/s' } },
    ]);
    for (const event of [...fixings, ...hashValues])
      await store.appendToStream(
        `bench-${event.type}-${event.data.coin}-${event.data.date}`,
        'bench',
        [event],
        {
          expectedVersion: 'no_stream',
          metadata: metadata('global'),
        },
      );
    for (let facility = 0; facility < FACILITIES; facility++) {
      const facilityId = `us-tx-${String(facility + 1).padStart(3, '0')}`;
      for (const month of MONTHS)
        await store.appendToStream(
          periodStreamId(facilityId, month),
          PERIOD_STREAM_TYPE,
          monthEvents(facilityId, month),
          { expectedVersion: 'no_stream', metadata: metadata(facilityId) },
        );
    }
    const lines = async () =>
      Number(
        (
          (await database.dataSource.query('SELECT COUNT(*) AS count FROM journal_lines')) as {
            count: string;
          }[]
        )[0].count,
      );
    const linesBefore = await lines();

    // The baseline: the same pages read, and nothing else.
    const serverCpu = async () => (driver === 'postgres' ? serverCpuMs(database.dataSource) : undefined);
    const microsPerEvent = (ms: number | undefined, count: number) =>
      ms === undefined ? null : Number(((ms * 1000) / count).toFixed(2));
    const rawServerCpu = await serverCpu();
    const rawStarted = performance.now();
    const rawCpu = process.cpuUsage();
    let rawEvents = 0;
    for (let after = 0n; ;) {
      const page = await store.readAll({ after, limit: RAW_READ_PAGE_SIZE });
      if (page.length === 0) break;
      rawEvents += page.length;
      after = page[page.length - 1].position;
    }
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    const rawCpuMs = cpuMsSince(rawCpu);
    const rawServerCpuMs = await serverCpu();

    const rebuildServerCpu = await serverCpu();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { events } = await rebuildReadModels(store);
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = cpuMsSince(cpu);
    const rebuildServerCpuMs = await serverCpu();
    const elapsed = (from: number | undefined, to: number | undefined) =>
      from === undefined || to === undefined ? undefined : to - from;
    if ((await lines()) !== linesBefore) throw new Error('the rebuild did not give back every journal line');

    const eventsPerSecond = Math.round(events / seconds);
    const baselineEventsPerSecond = Math.round(rawEvents / rawSeconds);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'revenue-read-model-rebuild',
        driver,
        events,
        journalLines: linesBefore,
        seconds: Number(seconds.toFixed(2)),
        eventsPerSecond,
        baselineEventsPerSecond,
        ratioToBaseline: Number((eventsPerSecond / baselineEventsPerSecond).toFixed(2)),
        clientCpuMicrosPerEvent: microsPerEvent(cpuMs, events),
        baselineClientCpuMicrosPerEvent: microsPerEvent(rawCpuMs, rawEvents),
        // PostgreSQL: its backends' CPU (SQLite's work is in the client's).
        serverCpuMicrosPerEvent: microsPerEvent(elapsed(rebuildServerCpu, rebuildServerCpuMs), events),
        baselineServerCpuMicrosPerEvent: microsPerEvent(elapsed(rawServerCpu, rawServerCpuMs), rawEvents),
        targetEventsPerSecond: TARGET_EVENTS_PER_SECOND,
        ok: eventsPerSecond >= TARGET_EVENTS_PER_SECOND,
      })}\n`,
    );
  } finally {
    await database.dispose();
  }
}
