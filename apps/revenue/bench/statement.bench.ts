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
import { REVENUE_EVENTS, RigTimeFigures, schemaVersionsOf, type PeriodEvent } from '@fleet/contracts';
import { createEventStore, dialectOf, type EventMetadata } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { REVENUE_MIGRATIONS } from '../src/migrations';
import { daysOf } from '../src/periods/domain/calendar';
import type { PeriodCommand } from '../src/periods/domain/period.commands';
import { periodDecider } from '../src/periods/domain/period.decider';
import { PERIOD_STREAM_TYPE, periodStreamId } from '../src/periods/domain/period-id';
import type { PeriodState } from '../src/periods/domain/period.state';
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

const FACILITIES = 10;
const MONTHS = Array.from({ length: 12 }, (_, index) => `2026-${String(index + 1).padStart(2, '0')}`);
const READS = 2000;
const TARGET_P99_MS = 100;
/** The rig time a close freezes: 1,300 rigs (1,000 SHA-256 at 44 TH/s, 300 Equihash at 420 kSol/s) over 30 days. */
const CLOSED_RIG_TIME: RigTimeFigures = {
  onlineRigHours: '921600.000',
  installedRigHours: '936000.000',
  byAlgorithm: [
    { algorithm: 'SHA-256', unit: 'TH/s', onlineRigHours: '705600.000', hashrateUnitDays: '1293600.000000' },
    {
      algorithm: 'Equihash',
      unit: 'kSol/s',
      onlineRigHours: '216000.000',
      hashrateUnitDays: '3780000.000000',
    },
  ],
};

function metadata(facilityId: string): EventMetadata {
  return {
    correlationId: 'bench',
    causationId: null,
    actor: 'finance:bench',
    facilityId,
    occurredAt: '2026-12-01T00:00:00.000Z',
  };
}

/** A closed month's events, decided in memory as the handlers would have decided them. */
function monthEvents(facilityId: string, month: string): PeriodEvent[] {
  let state: PeriodState = periodDecider.initialState();
  const events: PeriodEvent[] = [];
  const run = (command: PeriodCommand) => {
    const decided = periodDecider.decide(command, state);
    state = decided.reduce(periodDecider.evolve, state);
    events.push(...decided);
  };
  const days = daysOf(month);
  days.forEach((day, index) => {
    const valuedLater = index % 4 === 0;
    const payouts = (['BTC', 'ZEC'] as const).flatMap((coin) =>
      ['Foundry', 'F2Pool'].map((pool) => ({
        pool,
        txid: `${coin}${pool}${facilityId}${day}`.replace(/[^A-Za-z0-9]/g, ''),
        coin,
        amount: BigInt(coin === 'BTC' ? 65_000_000 + index : 12_500_000_000 + index),
        paidAt: `${day}T02:00:00Z`,
        periodStart: `${day}T00:00:00Z`,
        periodEnd: `${day}T00:00:00Z`,
        fixingUsd: valuedLater ? null : coin === 'BTC' ? '91234.56' : '41.37',
      })),
    );
    run({ type: 'RecordPayouts', data: { facilityId, period: month, payouts } });
    if (valuedLater)
      run({
        type: 'ValuePayouts',
        data: {
          facilityId,
          period: month,
          fixings: [
            { coin: 'BTC', day, fixingUsd: '91234.56' },
            { coin: 'ZEC', day, fixingUsd: '41.37' },
          ],
        },
      });
    const estimate = { kwh: '68796', usd: '4815.72', basis: 'estimated' as const, revision: 1 };
    run({
      type: 'BookEnergyCost',
      data: {
        facilityId,
        period: month,
        day,
        ...estimate,
        sourceEventId: crypto.randomUUID(),
        previous: null,
      },
    });
    if (index % 3 === 0)
      run({
        type: 'BookEnergyCost',
        data: {
          facilityId,
          period: month,
          day,
          kwh: '69001.5',
          usd: '4830.11',
          basis: 'measured',
          revision: 2,
          sourceEventId: crypto.randomUUID(),
          previous: estimate,
        },
      });
  });
  run({
    type: 'ClosePeriod',
    data: { facilityId, period: month, closedAt: '2026-12-01T00:00:00Z', rigTime: CLOSED_RIG_TIME },
  });
  return events;
}

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
