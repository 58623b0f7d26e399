/**
 * The month statement of a facility from revenue's read models, on SQLite and PostgreSQL, against a
 * raw read of the same journal lines with the same connection in the same run. One JSON line per
 * driver. Target (issue 8): p99 ≤ 100 ms.
 *
 *   node --import ./libs/event-sourcing/bench/register.mjs apps/revenue/bench/statement.bench.ts
 *
 * The data: 10 facilities × 12 months, each month with 4 payouts a day (BTC and ZEC from two
 * pools), a valuation of a quarter of them after the fact, every day's energy cost and a correction
 * of every third day, closed: about 190 entries (404 journal lines) a month, 48,000 lines in all.
 * A closed month's rig time is frozen in its `periods` row, so the fleet's size (13,300 rigs) does
 * not enter the read.
 */
import { REVENUE_EVENTS, RigTimeFigures, schemaVersionsOf } from '@fleet/contracts';
import { createEventStore, dialectOf } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { REVENUE_MIGRATIONS } from '../src/migrations';
import { PERIOD_STREAM_TYPE, periodStreamId } from '../src/periods/domain/period-id';
import { EnergyDayEntity } from '../src/periods/read-model/energy-day.entity';
import { EnergyDaysProjection } from '../src/periods/read-model/energy-days.projection';
import { JournalLineEntity } from '../src/periods/read-model/journal-line.entity';
import { JournalLinesProjection } from '../src/periods/read-model/journal-lines.projection';
import { PayoutEntity } from '../src/periods/read-model/payout.entity';
import { PayoutsProjection } from '../src/periods/read-model/payouts.projection';
import { PeriodEntity } from '../src/periods/read-model/period.entity';
import { toPeriodView, toStatementView } from '../src/periods/read-model/period.views';
import { PeriodsProjection } from '../src/periods/read-model/periods.projection';
import { PeriodsReadModel } from '../src/periods/read-model/periods.read-model';
import { statementOf } from '../src/periods/read-model/statement';
import { metadata, monthEvents } from './month-events';

const FACILITIES = 10;
const MONTHS = Array.from({ length: 12 }, (_, index) => `2026-${String(index + 1).padStart(2, '0')}`);
const READS = 2000;
const TARGET_P99_MS = 100;
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

async function time(reads: number, read: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < reads; index++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

for (const driver of TEST_DRIVERS) {
  const database = await createTestDatabase(driver, {
    entities: [PayoutEntity, JournalLineEntity, EnergyDayEntity, PeriodEntity],
    migrations: REVENUE_MIGRATIONS,
  });
  try {
    const store = createEventStore(database.dataSource, {
      schemaVersions: schemaVersionsOf(REVENUE_EVENTS),
      projections: [PayoutsProjection, JournalLinesProjection, EnergyDaysProjection, PeriodsProjection],
    });
    for (let facility = 0; facility < FACILITIES; facility++) {
      const facilityId = `us-tx-${String(facility + 1).padStart(2, '0')}`;
      for (const month of MONTHS)
        await store.appendToStream(
          periodStreamId(facilityId, month),
          PERIOD_STREAM_TYPE,
          monthEvents(facilityId, month),
          {
            expectedVersion: 'no_stream',
            metadata: metadata(facilityId),
          },
        );
    }

    const readModel = new PeriodsReadModel(database.dataSource);
    const facilityId = 'us-tx-01';
    const month = '2026-11';
    const statement = async () => {
      const [period, lines] = await Promise.all([
        readModel.findPeriod(facilityId, month),
        readModel.journalOf(facilityId, month),
      ]);
      const rigTime = period?.rigTime ? RigTimeFigures.parse(JSON.parse(period.rigTime)) : null;
      return JSON.stringify(
        toStatementView(toPeriodView(facilityId, month, period), statementOf(lines), rigTime),
      );
    };
    const placeholders = dialectOf(database.dataSource) === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    const raw = () =>
      database.dataSource.query(
        `SELECT * FROM journal_lines WHERE facility_id = ${placeholders[0]} AND period = ${placeholders[1]} ORDER BY entry_version, line_no`,
        [facilityId, month],
      );
    const lines = ((await raw()) as unknown[]).length;
    await time(200, statement);
    await time(200, raw);
    const statementTimes = await time(READS, statement);
    const rawTimes = await time(READS, raw);
    const p99 = percentile(statementTimes, 0.99);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'revenue-month-statement',
        driver,
        journalLines: lines,
        reads: READS,
        p50Ms: Number(percentile(statementTimes, 0.5).toFixed(2)),
        p99Ms: Number(p99.toFixed(2)),
        baselineP50Ms: Number(percentile(rawTimes, 0.5).toFixed(2)),
        baselineP99Ms: Number(percentile(rawTimes, 0.99).toFixed(2)),
        targetP99Ms: TARGET_P99_MS,
        ok: p99 <= TARGET_P99_MS,
      })}\n`,
    );
  } finally {
    await database.dispose();
  }
}
