import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { CurtailmentEntity } from '../facilities/read-model/curtailment.entity';
import { IntervalPriceEntity } from '../facilities/read-model/interval-price.entity';
import { PowerRigEntity } from '../facilities/read-model/power-rig.entity';
import { POWER_MIGRATIONS } from '.';

describe.each(TEST_DRIVERS)('power migrations on %s', (driver) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(driver, {
      entities: [PowerRigEntity, CurtailmentEntity, IntervalPriceEntity],
      migrations: POWER_MIGRATIONS,
    });
  });
  afterAll(() => database?.dispose());

  it('leave exactly the schema the entities describe', async () => {
    // TypeORM's schema diff: the statements `synchronize` would run to match the entities.
    const diff = await database.dataSource.driver.createSchemaBuilder().log();
    const statements = diff.upQueries.map((query) => query.query);
    expect(
      statements.filter((statement) => /\bpower_(rigs|curtailments|interval_prices)\b/.test(statement)),
    ).toEqual([]);
  });

  it('can be reverted', async () => {
    // Power's later migrations run after this one: undo them all, newest first.
    for (const _ of POWER_MIGRATIONS) await database.dataSource.undoLastMigration();
    const runner = database.dataSource.createQueryRunner();
    try {
      expect(await runner.hasTable('power_rigs')).toBe(false);
      expect(await runner.hasTable('power_curtailments')).toBe(false);
      expect(await runner.hasTable('power_interval_prices')).toBe(false);
    } finally {
      await runner.release();
    }
    await database.dataSource.runMigrations();
    expect(await database.dataSource.getRepository(PowerRigEntity).count()).toBe(0);
    expect(await database.dataSource.getRepository(CurtailmentEntity).count()).toBe(0);
  });
});
