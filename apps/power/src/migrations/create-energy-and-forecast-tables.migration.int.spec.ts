import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { ENERGY_ENTITIES } from '../energy/read-model/energy.entities';
import { FORECAST_ENTITIES } from '../forecast/read-model/forecast.entities';
import { POWER_MIGRATIONS } from '.';

const ENERGY_TABLES = [
  'energy_load_changes',
  'energy_meter_readings',
  'energy_prices',
  'energy_tariffs',
  'energy_cost_accruals',
  'forecast_orders',
  'forecast_order_lines',
  'forecast_shipments',
  'forecast_shipment_lines',
];

describe.each(TEST_DRIVERS)('energy and forecast migration on %s', (driver) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(driver, {
      entities: [...ENERGY_ENTITIES, ...FORECAST_ENTITIES],
      migrations: POWER_MIGRATIONS,
    });
  });
  afterAll(() => database?.dispose());

  it('leaves exactly the schema the entities describe', async () => {
    const diff = await database.dataSource.driver.createSchemaBuilder().log();
    const statements = diff.upQueries.map((query) => query.query);
    expect(
      statements.filter((statement) => ENERGY_TABLES.some((table) => statement.includes(table))),
    ).toEqual([]);
  });

  it("can be reverted (it is power's latest)", async () => {
    await database.dataSource.undoLastMigration();
    const runner = database.dataSource.createQueryRunner();
    try {
      for (const table of ENERGY_TABLES) expect(await runner.hasTable(table)).toBe(false);
    } finally {
      await runner.release();
    }
    await database.dataSource.runMigrations();
  });
});
