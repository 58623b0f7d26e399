import type { EntityManager } from 'typeorm';
import { insertRows } from '@fleet/event-sourcing';
import { RigTimeFigures } from '@fleet/contracts';
import { periodsTable, type PeriodRow } from '../periods/read-model/period.entity';
import type { EventSql } from './event-sql';

/**
 * One projected table refilled from the events in a few set-based statements, standing in for its
 * inline projection during a rebuild: it must give exactly the rows that projection's fold gives
 * over the same events in the feed's order (`test/rebuild.int.spec.ts` compares them on both
 * databases). It reads the events' data as stored, so it names the schema version of each type it
 * understands; the rebuild refuses to run over any other.
 */
export interface RebuildStep {
  /** The name of the inline projection (`REVENUE_PROJECTIONS`) whose table this refills. */
  readonly projection: string;
  readonly reads: Readonly<Record<string, number>>;
  run(manager: EntityManager, sql: EventSql): Promise<void>;
}

const POSTING_TYPES = ['PayoutReceived', 'PayoutValued', 'EnergyCostBooked'];
/** The fields of a journal line (`JournalLine`). */
const LINE_FIELDS = ['account', 'side', 'usd', 'coin', 'amount', 'kwh', 'basis'];
const PERIOD_TYPES = [...POSTING_TYPES, 'PeriodClosed'];

const list = (types: readonly string[]) => types.map((type) => `'${type}'`).join(', ');
const columns = (sql: EventSql, alias = 'e') => sql.order.map((column) => `${alias}.${column}`);
/** Window order: the newest event of the feed first. */
const newestFirst = (sql: EventSql) => sql.order.map((column) => `e.${column} DESC`).join(', ');
const oldestFirst = (sql: EventSql) => sql.order.map((column) => `e.${column}`).join(', ');

/** Runs one statement; the steps' statements return nothing. */
async function run(manager: EntityManager, statement: string): Promise<void> {
  await manager.query(statement);
}

/** `journal_lines`: every line of every posting's entry, as `JournalLinesProjection` writes it. */
const journalLines: RebuildStep = {
  projection: 'journal-lines',
  reads: { PayoutReceived: 1, PayoutValued: 1, EnergyCostBooked: 1 },
  run: (manager, sql) =>
    run(
      manager,
      `INSERT INTO journal_lines (id, facility_id, period, entry_id, entry_version, line_no, date, account,
         side, usd, coin, amount, kwh, basis, late_for, memo)
       SELECT ${sql.eventId} || '/' || ${sql.lineNo}, ${sql.text('facilityId')}, ${sql.text('period')},
         ${sql.eventId}, e.stream_version, ${sql.lineNo}, ${sql.text('entry.date')}, ${sql.lineText('account')},
         ${sql.lineText('side')}, ${sql.lineText('usd')}, ${sql.lineText('coin')}, ${sql.lineText('amount')},
         ${sql.lineText('kwh')}, ${sql.lineText('basis')}, ${sql.text('entry.lateFor')}, ${sql.text('entry.memo')}
       FROM events e, ${sql.entryLines(LINE_FIELDS)}
       WHERE e.type IN (${list(POSTING_TYPES)})`,
    ),
};

/**
 * `payouts`: a row per `PayoutReceived`, with the figures of the newest `PayoutValued` of the same
 * (pool, txid) when that one comes after it (`PayoutsProjection` ignores a valuation of a payout it
 * has no row for). A second `PayoutReceived` of a key fails on the primary key, as it does live.
 */
const payouts: RebuildStep = {
  projection: 'payouts',
  reads: { PayoutReceived: 1, PayoutValued: 1 },
  run: (manager, sql) => {
    const key = `${sql.text('pool')} || '/' || ${sql.text('txid')}`;
    return run(
      manager,
      `WITH valued AS (
         SELECT ${key} AS id, ${sql.text('fixingUsd')} AS fixing_usd, ${sql.text('usd')} AS usd,
           ${columns(sql).join(', ')},
           ROW_NUMBER() OVER (PARTITION BY ${key} ORDER BY ${newestFirst(sql)}) AS newest
         FROM events e WHERE e.type = 'PayoutValued'
       )
       INSERT INTO payouts (id, facility_id, period, pool, txid, coin, amount, paid_at, period_start,
         period_end, day, fixing_usd, usd, late_for, recorded_at)
       SELECT ${key}, ${sql.text('facilityId')}, ${sql.text('period')}, ${sql.text('pool')}, ${sql.text('txid')},
         ${sql.text('coin')}, ${sql.text('amount')}, ${sql.text('paidAt')}, ${sql.text('periodStart')},
         ${sql.text('periodEnd')}, ${sql.text('day')},
         CASE WHEN v.id IS NULL THEN ${sql.text('fixingUsd')} ELSE v.fixing_usd END,
         CASE WHEN v.id IS NULL THEN ${sql.text('usd')} ELSE v.usd END,
         ${sql.text('entry.lateFor')}, ${sql.occurredAt}
       FROM events e
       LEFT JOIN valued v ON v.id = ${key} AND v.newest = 1
         AND (${columns(sql, 'v').join(', ')}) > (${columns(sql).join(', ')})
       WHERE e.type = 'PayoutReceived'`,
    );
  },
};

/**
 * `energy_days`: per facility day, the first figure booked at its highest revision (the projection
 * keeps a row against any figure whose revision is not above it).
 */
const energyDays: RebuildStep = {
  projection: 'energy-days',
  reads: { EnergyCostBooked: 1 },
  run: (manager, sql) => {
    const id = `${sql.text('facilityId')} || '/' || ${sql.text('day')}`;
    return run(
      manager,
      `WITH booked AS (
         SELECT ${id} AS id, ${sql.text('facilityId')} AS facility_id, ${sql.text('day')} AS day,
           ${sql.text('kwh')} AS kwh, ${sql.text('usd')} AS usd, ${sql.text('basis')} AS basis,
           ${sql.integer('revision')} AS revision, ${sql.text('period')} AS period,
           ROW_NUMBER() OVER (PARTITION BY ${id}
             ORDER BY ${sql.integer('revision')} DESC, ${oldestFirst(sql)}) AS kept
         FROM events e WHERE e.type = 'EnergyCostBooked'
       )
       INSERT INTO energy_days (id, facility_id, day, kwh, usd, basis, revision, period)
       SELECT id, facility_id, day, kwh, usd, basis, revision, period FROM booked WHERE kept = 1`,
    );
  },
};

/**
 * The JSON text `PeriodsProjection` stores for a close's rig time. SQLite hands back the stored text
 * itself (the event's own JSON.stringify); PostgreSQL's jsonb keeps no key order, so the figures are
 * written in the order of their contract, which is the order the close decides them in.
 */
function rigTimeText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(RigTimeFigures.parse(value));
}

/**
 * `periods`: per facility month, the stream version of its newest event, and whether (when, with
 * which rig time) its newest `PeriodClosed` closed it. A few rows per facility: folded in SQL,
 * finished and inserted from here.
 */
const periods: RebuildStep = {
  projection: 'periods',
  reads: { PayoutReceived: 1, PayoutValued: 1, EnergyCostBooked: 1, PeriodClosed: 1 },
  async run(manager, sql) {
    const id = `${sql.text('facilityId')} || '/' || ${sql.text('period')}`;
    const rows = (await manager.query(
      `WITH newest AS (
         SELECT ${id} AS id, ${sql.text('facilityId')} AS facility_id, ${sql.text('period')} AS month,
           e.stream_version AS version,
           ROW_NUMBER() OVER (PARTITION BY ${id} ORDER BY ${newestFirst(sql)}) AS place
         FROM events e WHERE e.type IN (${list(PERIOD_TYPES)})
       ), closes AS (
         SELECT ${id} AS id, ${sql.text('closedAt')} AS closed_at, ${sql.json('rigTime')} AS rig_time,
           ROW_NUMBER() OVER (PARTITION BY ${id} ORDER BY ${newestFirst(sql)}) AS place
         FROM events e WHERE e.type = 'PeriodClosed'
       )
       SELECT n.id, n.facility_id, n.month, n.version, c.id AS closed_id, c.closed_at, c.rig_time
       FROM newest n LEFT JOIN closes c ON c.id = n.id AND c.place = 1
       WHERE n.place = 1`,
    )) as {
      id: string;
      facility_id: string;
      month: string;
      version: number;
      closed_id: string | null;
      closed_at: string | null;
      rig_time: unknown;
    }[];
    await insertRows(
      manager,
      periodsTable,
      rows.map((row): PeriodRow => ({
        id: row.id,
        facilityId: row.facility_id,
        month: row.month,
        status: row.closed_id === null ? 'open' : 'closed',
        closedAt: row.closed_at,
        version: Number(row.version),
        rigTime: rigTimeText(row.rig_time),
      })),
    );
  },
};

/** A table whose rows are set once per id and replaced whole by a later event of the same id. */
function newestPerId(
  projection: string,
  type: string,
  table: string,
  id: string,
  fields: Readonly<Record<string, string>>,
): RebuildStep {
  return {
    projection,
    reads: { [type]: 1 },
    run: (manager, sql) => {
      const rowId = id
        .split('/')
        .map((field) => sql.text(field))
        .join(` || '/' || `);
      const names = Object.keys(fields);
      return run(
        manager,
        `WITH published AS (
           SELECT ${rowId} AS id, ${names.map((name) => `${sql.text(fields[name])} AS ${name}`).join(', ')},
             ROW_NUMBER() OVER (PARTITION BY ${rowId} ORDER BY ${newestFirst(sql)}) AS place
           FROM events e WHERE e.type = '${type}'
         )
         INSERT INTO ${table} (id, ${names.join(', ')})
         SELECT id, ${names.join(', ')} FROM published WHERE place = 1`,
      );
    },
  };
}

/** In the order of `REVENUE_PROJECTIONS`. */
export const REBUILD_STEPS: readonly RebuildStep[] = [
  payouts,
  journalLines,
  energyDays,
  periods,
  newestPerId('prices', 'CoinPriceFixed', 'prices', 'coin/date', { coin: 'coin', date: 'date', usd: 'usd' }),
  newestPerId('hash-values', 'HashValuePublished', 'hash_values', 'coin/date', {
    coin: 'coin',
    date: 'date',
    coin_per_unit_per_day: 'coinPerUnitPerDay',
    unit: 'unit',
  }),
  newestPerId('pool-assignments', 'PoolAssigned', 'pool_assignments', 'facilityId/coin/pool', {
    facility_id: 'facilityId',
    coin: 'coin',
    pool: 'pool',
    hashrate_share: 'hashrateShare',
  }),
];
