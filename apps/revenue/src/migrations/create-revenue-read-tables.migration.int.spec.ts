import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { HashValueEntity } from '../hash-values/read-model/hash-value.entity';
import { EnergyDayEntity } from '../periods/read-model/energy-day.entity';
import { JournalLineEntity } from '../periods/read-model/journal-line.entity';
import { PayoutEntity } from '../periods/read-model/payout.entity';
import { PeriodEntity } from '../periods/read-model/period.entity';
import { PriceEntity } from '../prices/read-model/price.entity';
import { PoolAssignmentEntity } from '../reconciliation/read-model/pool-assignment.entity';
import { RigTimeSumEntity } from '../rig-time/read-model/rig-time-sum.entity';
import { REVENUE_MIGRATIONS } from '.';

const ENTITIES = [
  PayoutEntity,
  JournalLineEntity,
  EnergyDayEntity,
  PeriodEntity,
  PriceEntity,
  HashValueEntity,
  RigTimeSumEntity,
  PoolAssignmentEntity,
];
const TABLES = [
  'payouts',
  'journal_lines',
  'energy_days',
  'periods',
  'prices',
  'hash_values',
  'rig_time_sums',
  'pool_assignments',
];

describe.each(TEST_DRIVERS)('revenue migrations on %s', (driver) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(driver, { entities: ENTITIES, migrations: REVENUE_MIGRATIONS });
  });
  afterAll(() => database?.dispose());

  it('leave exactly the schema the entities describe', async () => {
    // TypeORM's schema diff: the statements `synchronize` would run to match the entities.
    const diff = await database.dataSource.driver.createSchemaBuilder().log();
    const statements = diff.upQueries.map((query) => query.query);
    const ours = new RegExp(`\\b"?(${TABLES.join('|')})"?\\b`);
    expect(statements.filter((statement) => ours.test(statement))).toEqual([]);
  });

  it('can be reverted', async () => {
    for (const _migration of REVENUE_MIGRATIONS) await database.dataSource.undoLastMigration();
    const runner = database.dataSource.createQueryRunner();
    try {
      for (const table of TABLES) expect(await runner.hasTable(table)).toBe(false);
    } finally {
      await runner.release();
    }
    await database.dataSource.runMigrations();
    expect(await database.dataSource.getRepository(PayoutEntity).count()).toBe(0);
  });
});
