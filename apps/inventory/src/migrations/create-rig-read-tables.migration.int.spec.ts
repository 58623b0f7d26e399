import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { RigEntity } from '../rigs/read-model/rig.entity';
import { RigSlotEntity } from '../rigs/read-model/rig-slot.entity';
import { INVENTORY_MIGRATIONS } from '.';

describe.each(TEST_DRIVERS)('inventory migrations on %s', (driver) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(driver, {
      entities: [RigEntity, RigSlotEntity],
      migrations: INVENTORY_MIGRATIONS,
    });
  });
  afterAll(() => database?.dispose());

  it('leave exactly the schema the entities describe', async () => {
    // TypeORM's schema diff: the statements `synchronize` would run to match the entities.
    const diff = await database.dataSource.driver.createSchemaBuilder().log();
    const statements = diff.upQueries.map((query) => query.query);
    expect(statements.filter((statement) => /\b"?rig(s|_slots)"?\b/.test(statement))).toEqual([]);
  });

  it('create the indexes the list filters use', async () => {
    const runner = database.dataSource.createQueryRunner();
    try {
      const rigs = await runner.getTable('rigs');
      expect(rigs?.indices.map((index) => index.name).sort()).toEqual([
        'ix_rigs_facility_id',
        'ix_rigs_model_id',
        'ix_rigs_status_id',
        'uq_rigs_serial_number',
      ]);
      const slots = await runner.getTable('rig_slots');
      expect(slots?.primaryColumns.map((column) => column.name)).toEqual(['facility_id', 'rack', 'slot']);
    } finally {
      await runner.release();
    }
  });

  it('can be reverted', async () => {
    // The power version column, then the tables.
    await database.dataSource.undoLastMigration();
    const columns = await database.dataSource.createQueryRunner().getTable('rigs');
    expect(columns?.columns.map((column) => column.name)).not.toContain('facility_power_version');
    await database.dataSource.undoLastMigration();
    const runner = database.dataSource.createQueryRunner();
    try {
      expect(await runner.hasTable('rigs')).toBe(false);
      expect(await runner.hasTable('rig_slots')).toBe(false);
    } finally {
      await runner.release();
    }
    await database.dataSource.runMigrations();
    expect(await database.dataSource.getRepository(RigEntity).count()).toBe(0);
  });
});
