import { call, eventually, Fleet, type Driver } from './support/fleet';
import { installRigs, powerOnAll } from './support/seed-rigs';
import type { ServiceProcess } from './support/service-process';

/** The seed's facility: 1,300 × 8 Nano (2.1 kW, 44 TH/s) on 3 MW at PUE 1.05. */
const MODEL = 'asicminer-8-nano';
const RIGS = 1300;

interface StatementView {
  status: string;
  rigHours: string | null;
  uptime: string | null;
  hashrate: { algorithm: string; hashrateUnitDays: string }[];
}

interface ReconciliationView {
  lines: { day: string; pool: string; expectedAmount: string | null; complete: boolean }[];
}

/**
 * Revenue next to the real inventory and power processes: the seed's 1,300 rigs received, racked
 * and powered, revenue counting their rig time from power's allocations and inventory's installs
 * (through the durable consumers, on the run's namespace), and expecting a payout from it. Power's
 * events and its energy days carry the instants they happen (power publishes a day's energy once it
 * is over, from the day its capacity was recorded), so a run on the system clock sees today's rig time only: the month of energy, the close and a
 * short-paying pool flagged over finished days run on a controlled clock in
 * `revenue-month-of-operations.e2e.spec.ts`.
 */
describe.each<Driver>(['sqlite', 'postgres'])('revenue with the real power and inventory (%s)', (driver) => {
  let fleet: Fleet;
  let revenue: ServiceProcess;
  const facilityId = `e2e-rt-${driver}-${Date.now().toString(36)}`;
  const today = new Date().toISOString().slice(0, 10);
  const thisMonth = today.slice(0, 7);

  beforeAll(async () => {
    fleet = await Fleet.start(driver);
    revenue = await fleet.startService('revenue');
  });

  afterAll(async () => {
    await fleet?.dispose();
  });

  it('counts the powered rigs’ time and expects payouts from it', async () => {
    await installRigs(fleet, facilityId, [{ model: MODEL, quantity: RIGS }]);
    expect(
      (
        await call(fleet.power, 'PUT', `/facilities/${facilityId}/capacity`, {
          schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 3000 }],
          reserveKw: 0,
          pue: 1.05,
        })
      ).status,
    ).toBe(200);
    await powerOnAll(fleet, facilityId, RIGS);

    // Revenue counts the rig time: 1,300 rigs online and installed since a moment ago.
    const statement = await eventually(
      async () => {
        const { body } = await call<StatementView>(
          revenue,
          'GET',
          `/facilities/${facilityId}/statements/${thisMonth}`,
        );
        const sha256 = body.hashrate.find((entry) => entry.algorithm === 'SHA-256');
        // Installed a little before they were powered: uptime climbs towards 1 from below.
        return Number(body.rigHours) > 0 && Number(body.uptime) > 0 && Number(sha256?.hashrateUnitDays) > 0
          ? body
          : undefined;
      },
      90_000,
      () => 'revenue counting the rigs’ time',
    );
    expect(Number(statement.uptime)).toBeLessThanOrEqual(1);

    // A hash value and a payout covering today: the expected amount comes from the rigs' time.
    await call(revenue, 'POST', '/hash-values', {
      values: [{ coin: 'BTC', date: today, coinPerUnitPerDay: '0.0000005', unit: 'TH/s' }],
    });
    expect(
      (
        await call(revenue, 'POST', '/payouts', {
          facilityId,
          pool: 'Foundry',
          coin: 'BTC',
          amount: '0.1',
          paidAt: new Date().toISOString(),
          periodStart: `${today}T00:00:00Z`,
          periodEnd: `${today}T00:00:00Z`,
          txid: `today${driver}`,
        })
      ).status,
    ).toBe(201);
    const reconciliation = await call<ReconciliationView>(
      revenue,
      'GET',
      `/facilities/${facilityId}/reconciliation?month=${thisMonth}`,
    );
    const line = reconciliation.body.lines.find((entry) => entry.day === today);
    expect(line).toMatchObject({ pool: 'Foundry', complete: false });
    expect(Number(line?.expectedAmount)).toBeGreaterThan(0);
  }, 420_000);
});
