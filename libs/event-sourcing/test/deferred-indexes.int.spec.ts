import { withIndexesDeferred } from '../src';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '../src/testing';

describe.each(TEST_DRIVERS)('withIndexesDeferred on %s', (driver) => {
  let database: TestDatabase;

  /** Every index of the table, with its definition: what must come back unchanged. */
  const indexes = async () =>
    driver === 'sqlite'
      ? ((await database.dataSource.query(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deferred_things' ORDER BY name`,
        )) as unknown[])
      : ((await database.dataSource.query(
          `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'deferred_things' ORDER BY indexname`,
        )) as unknown[]);

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await database.dataSource.query(
      `CREATE TABLE deferred_things (id varchar(20) CONSTRAINT pk_deferred_things PRIMARY KEY,
         kind varchar(20) NOT NULL, code varchar(20) NOT NULL CONSTRAINT uq_deferred_things_code UNIQUE)`,
    );
    await database.dataSource.query(`CREATE INDEX ix_deferred_things_kind ON deferred_things (kind, id)`);
  });
  afterAll(() => database?.dispose());

  it('loads the rows without the indexes and gives every index back as it was', async () => {
    const before = await indexes();
    expect(before).toHaveLength(3);
    const during = await database.dataSource.transaction((manager) =>
      withIndexesDeferred(manager, ['deferred_things'], async () => {
        await manager.query(`INSERT INTO deferred_things VALUES ('a', 'x', '1'), ('b', 'y', '2')`);
        return (await manager.query(
          driver === 'sqlite'
            ? `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deferred_things' AND sql IS NOT NULL`
            : `SELECT indexname FROM pg_indexes WHERE tablename = 'deferred_things'`,
        )) as unknown[];
      }),
    );
    expect(during).toEqual([]);
    expect(await indexes()).toEqual(before);
    expect(await database.dataSource.query(`SELECT id FROM deferred_things ORDER BY id`)).toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
  });

  it('rolls back the load and keeps the indexes when a unique index cannot come back', async () => {
    const before = await indexes();
    await expect(
      database.dataSource.transaction((manager) =>
        withIndexesDeferred(manager, ['deferred_things'], async () => {
          // PostgreSQL: accepted while the unique constraint is gone, refused when it is added again.
          // SQLite keeps a constraint's index, so refuses it at once.
          await manager.query(`INSERT INTO deferred_things VALUES ('c', 'x', '1')`);
        }),
      ),
    ).rejects.toThrow();
    expect(await indexes()).toEqual(before);
    expect(await database.dataSource.query(`SELECT COUNT(*) AS count FROM deferred_things`)).toEqual([
      { count: driver === 'sqlite' ? 2 : '2' },
    ]);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(
      withIndexesDeferred(database.dataSource.manager, ['deferred_things'], async () => undefined),
    ).rejects.toThrow(/inside a transaction/);
  });
});
