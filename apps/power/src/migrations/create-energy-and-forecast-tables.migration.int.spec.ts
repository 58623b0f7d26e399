import { randomUUID } from 'node:crypto';
import { dialectOf, SqlParameters } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { EnergyLoadChangeEntity } from '../energy/read-model/energy-load-change.entity';
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

  it('estimates the facility events appended before it: their load change points are written', async () => {
    await database.dataSource.undoLastMigration();
    const facilityId = 'backfilled';
    const rig = (n: number) => ({
      rigId: randomUUID(),
      rack: 'R000',
      slot: n,
      model: 'asicminer-8-nano',
      itWatts: 2100,
    });
    const part = { facilityId, requestId: randomUUID(), part: 1, parts: 1 };
    const events = [
      [
        'FacilityCapacityScheduled',
        {
          facilityId,
          schedule: [{ effectiveFrom: '2026-10-01', capacityWatts: 3_000_000 }],
          reserveWatts: 0,
          pueMilli: 1050,
        },
        '2026-11-01T00:00:00.000Z',
      ],
      ['RackBudgetSet', { facilityId, rack: 'R000', budgetWatts: 60_000 }, '2026-11-01T01:00:00.000Z'],
      ['PowerAllocated', { ...part, rigs: [rig(1), rig(2)] }, '2026-11-01T02:00:00.000Z'],
      ['PowerReleased', { ...part, reason: 'requested', rigs: [rig(1)] }, '2026-11-01T03:00:00.000Z'],
    ] as const;
    for (const [index, [type, data, occurredAt]] of events.entries()) {
      const parameters = new SqlParameters(dialectOf(database.dataSource));
      const values = [
        `facility-${facilityId}`,
        'facility',
        index + 1,
        randomUUID(),
        type,
        1,
        JSON.stringify(data),
        JSON.stringify({ occurredAt }),
        occurredAt,
      ];
      await database.dataSource.query(
        `INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data, metadata, occurred_at)
         VALUES (${values.map((value) => parameters.add(value)).join(', ')})`,
        parameters.values,
      );
    }
    await database.dataSource.runMigrations();
    const rows = await database.dataSource
      .getRepository(EnergyLoadChangeEntity)
      .find({ where: { facilityId }, order: { seq: 'ASC' } });
    expect(
      rows.map(({ seq, at, itWatts, pueMilli }) => [Number(seq), at, Number(itWatts), Number(pueMilli)]),
    ).toEqual([
      [1, '2026-11-01T00:00:00.000Z', 0, 1050],
      [2, '2026-11-01T02:00:00.000Z', 4200, 1050],
      [3, '2026-11-01T03:00:00.000Z', 2100, 1050],
    ]);
  });
});
