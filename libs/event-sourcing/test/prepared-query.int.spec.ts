import { queryPrepared } from '../src';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '../src/testing';

describe.each(TEST_DRIVERS)('queryPrepared on %s', (driver) => {
  let database: TestDatabase;
  const placeholder = (index: number) => (driver === 'postgres' ? `$${index}` : '?');

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await database.dataSource.query(
      'CREATE TABLE prepared_things (id integer PRIMARY KEY, name text NOT NULL)',
    );
    await database.dataSource.query(
      "INSERT INTO prepared_things VALUES (1, 'one'), (2, 'two'), (3, 'three')",
    );
  });
  afterAll(() => database?.dispose());

  const byId = () => `SELECT id, name FROM prepared_things WHERE id = ${placeholder(1)}`;

  it('answers the rows of the statement, the same on every call with other parameters', async () => {
    const manager = database.dataSource.manager;
    expect(await queryPrepared(manager, byId(), [1])).toEqual([{ id: 1, name: 'one' }]);
    expect(await queryPrepared(manager, byId(), [3])).toEqual([{ id: 3, name: 'three' }]);
    expect(await queryPrepared(manager, byId(), [4])).toEqual([]);
  });

  it('reads inside a transaction, seeing its uncommitted rows', async () => {
    await database.dataSource
      .transaction(async (manager) => {
        await manager.query(`INSERT INTO prepared_things VALUES (9, 'nine')`);
        expect(await queryPrepared(manager, byId(), [9])).toEqual([{ id: 9, name: 'nine' }]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await queryPrepared(database.dataSource.manager, byId(), [9])).toEqual([]);
  });

  it('runs many distinct texts, each with its own result', async () => {
    // Past the named statements' bound, texts run unprepared: same answers.
    for (let limit = 1; limit <= 600; limit += 1) {
      const rows = await queryPrepared<{ id: number }>(
        database.dataSource.manager,
        `SELECT id FROM prepared_things WHERE id <= ${placeholder(1)} ORDER BY id LIMIT ${Math.min(limit, 3)} -- ${limit}`,
        [2],
      );
      expect(rows.map((row) => row.id)).toEqual([1, 2].slice(0, Math.min(limit, 2)));
    }
  });
});
