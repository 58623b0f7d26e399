import { API_KEYS, call, eventually, Fleet, type Driver } from './support/fleet';
import { listAllRigs, type RigView } from './support/inventory-reads';
import { installRigs, RIGS_PER_RACK } from './support/seed-rigs';

/** 2.1 kW at the wall: at PUE 1.05, 1,360 of them fit in 3 MW and the 1,361st does not. */
const MODEL = 'asicminer-8-nano';
const RIGS = 1361;

interface PowerAnswer {
  readonly dryRun: boolean;
  readonly powered: number;
  readonly rejected: { rigId: string; reason: string }[];
}
interface FacilityPower {
  readonly rigsOn: number;
  readonly facilityLoadKw: number;
}

describe.each<Driver>(['sqlite', 'postgres'])('receipt → install → power-on → online (%s)', (driver) => {
  let fleet: Fleet;
  const facilityId = `e2e-power-${driver}-${Date.now().toString(36)}`;
  const operations = { key: API_KEYS.operations };

  beforeAll(async () => {
    fleet = await Fleet.start(driver);
  });

  afterAll(async () => {
    await fleet?.dispose();
  });

  const statusesOf = async () => {
    const counts: Record<string, number> = {};
    for (const rig of await listAllRigs(fleet.inventory, facilityId))
      counts[rig.status] = (counts[rig.status] ?? 0) + 1;
    return counts;
  };

  it('powers the seed facility: 1,360 rigs on 3 MW online in inventory, the 1,361st refused; a decommissioned rig is released', async () => {
    // Procurement receives 1,361 rigs, inventory registers them, operations rack them 20 to a rack.
    const rigs = await installRigs(fleet, facilityId, [{ model: MODEL, quantity: RIGS }]);

    // Operations set the facility's contract and rack budgets.
    const capacity = await call(fleet.power, 'PUT', `/facilities/${facilityId}/capacity`, {
      schedule: [
        { effectiveFrom: '2026-10-01', capacityKw: 3000 },
        { effectiveFrom: '2099-06-01', capacityKw: 30000 },
      ],
      reserveKw: 0,
      pue: 1.05,
    });
    expect(capacity.status).toBe(200);
    const budget = await call(fleet.power, 'PUT', `/facilities/${facilityId}/racks/R000`, { budgetKw: 42 });
    expect(budget.status).toBe(200);

    // Power learns of the installs from inventory's events; a dry run says when it knows them all.
    const expected = { dryRun: true, powered: RIGS - 1, rejected: [{ reason: 'facility-capacity' }] };
    await eventually(
      async () => {
        const dryRun = await call<PowerAnswer>(
          fleet.power,
          'POST',
          `/facilities/${facilityId}/power-on`,
          { all: true, dryRun: true },
          operations,
        );
        return dryRun.body.powered === RIGS - 1 && dryRun.body.rejected.length === 1
          ? dryRun.body
          : undefined;
      },
      60_000,
      () => 'power knowing every installed rig',
    );

    const powerOn = await call<PowerAnswer>(
      fleet.power,
      'POST',
      `/facilities/${facilityId}/power-on`,
      { all: true },
      operations,
    );
    expect(powerOn.status).toBe(200);
    expect(powerOn.body).toMatchObject({ ...expected, dryRun: false });
    const refused = powerOn.body.rejected[0].rigId;
    const power = await call<FacilityPower>(fleet.power, 'GET', `/facilities/${facilityId}/power`);
    expect(power.body).toMatchObject({ rigsOn: RIGS - 1, facilityLoadKw: 2998.8 });

    // Inventory follows: every powered rig online, the refused one still installed.
    await eventually(
      async () => {
        const statuses = await statusesOf();
        return statuses['online'] === RIGS - 1 ? statuses : undefined;
      },
      60_000,
      () => 'every powered rig online in inventory',
    );
    const refusedRig = await call<RigView>(fleet.inventory, 'GET', `/rigs/${refused}`);
    expect(refusedRig.body.status).toBe('installed');

    // A powered rig decommissioned in inventory is released by power on its own.
    // The first rig of rack R000, so that rack R001 keeps all its rigs for the power-off below.
    const online = (await listAllRigs(fleet.inventory, facilityId)).find(
      (rig) => rig.serialNumber === rigs[0].serialNumber,
    );
    expect(online?.status).toBe('online');
    if (!online) throw new Error(`no rig ${rigs[0].serialNumber}`);
    const decommission = await call(
      fleet.inventory,
      'POST',
      `/rigs/${online.id}/decommission`,
      { reason: 'end of life' },
      operations,
    );
    expect(decommission.status).toBe(200);
    await eventually(
      async () => {
        const now = await call<FacilityPower>(fleet.power, 'GET', `/facilities/${facilityId}/power`);
        return now.body.rigsOn === RIGS - 2 ? true : undefined;
      },
      30_000,
      () => 'power releasing the decommissioned rig',
    );
    // Its place is free: the refused rig fits now.
    const second = await call<PowerAnswer>(
      fleet.power,
      'POST',
      `/facilities/${facilityId}/power-on`,
      { rigIds: [refused] },
      operations,
    );
    expect(second.body).toEqual({ dryRun: false, powered: 1, rejected: [] });
    await eventually(
      async () =>
        (await call<RigView>(fleet.inventory, 'GET', `/rigs/${refused}`)).body.status === 'online'
          ? true
          : undefined,
      30_000,
      () => 'the refused rig online at last',
    );

    // Powering a rack off brings its rigs back to installed.
    const off = await call<{ released: number }>(
      fleet.power,
      'POST',
      `/facilities/${facilityId}/power-off`,
      { racks: ['R001'] },
      operations,
    );
    expect(off.body.released).toBe(RIGS_PER_RACK);
    await eventually(
      async () => {
        const statuses = await statusesOf();
        return statuses['installed'] === RIGS_PER_RACK ? true : undefined;
      },
      30_000,
      () => 'rack R001 back to installed',
    );
  });
});
