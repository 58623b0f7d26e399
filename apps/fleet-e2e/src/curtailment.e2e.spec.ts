import { API_KEYS, call, eventually, Fleet, type Driver } from './support/fleet';
import { listAllRigs, type RigView } from './support/inventory-reads';
import { installRigs, powerOnAll } from './support/seed-rigs';

/** 2.1 kW at the wall, 2.205 kW at the meter at PUE 1.05: shedding 22.05 kW takes ten of them. */
const MODEL = 'asicminer-8-nano';
const RIGS = 40;
const SHED = 10;

interface CurtailmentView {
  readonly curtailmentId: string;
  readonly status: string;
  readonly ending: string | null;
  readonly endsAt: string;
  readonly endedAt: string | null;
  readonly rigsCurtailed: number;
  readonly rigsRestored: number;
  readonly notRestored: unknown[];
}
interface CurtailmentAnswer {
  readonly curtailment: CurtailmentView;
  readonly shed: { readonly rigIds: string[]; readonly facilityKw: number };
}
interface FacilityPower {
  readonly rigsOn: number;
  readonly rigsCurtailed: number;
}

describe.each<Driver>(['sqlite', 'postgres'])('a curtailment through power and inventory (%s)', (driver) => {
  let fleet: Fleet;
  const facilityId = `e2e-curtail-${driver}-${Date.now().toString(36)}`;
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
  const rigStatus = async (rigId: string) =>
    (await call<RigView>(fleet.inventory, 'GET', `/rigs/${rigId}`)).body.status;

  /** 40 rigs received, installed in two racks and powered on, all `online` in inventory. */
  async function rigsOnline(): Promise<void> {
    await installRigs(fleet, facilityId, [{ model: MODEL, quantity: RIGS }]);
    const capacity = await call(fleet.power, 'PUT', `/facilities/${facilityId}/capacity`, {
      schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 3000 }],
      reserveKw: 0,
      pue: 1.05,
    });
    expect(capacity.status).toBe(200);
    await powerOnAll(fleet, facilityId, RIGS);
    await eventually(
      async () => ((await statusesOf())['online'] === RIGS ? true : undefined),
      60_000,
      () => 'every powered rig online in inventory',
    );
  }

  it('sheds rigs (curtailed in inventory) and restores them at endsAt, although power was killed and restarted in between', async () => {
    await rigsOnline();

    const endsAt = new Date(Date.now() + 20_000).toISOString();
    const curtail = await call<CurtailmentAnswer>(
      fleet.power,
      'POST',
      `/facilities/${facilityId}/curtailments`,
      { reduceByKw: 22.05, endsAt, reason: 'utility demand response' },
      operations,
    );
    expect(curtail.status).toBe(200);
    expect(curtail.body.shed.rigIds).toHaveLength(SHED);
    expect(curtail.body.shed.facilityKw).toBeCloseTo(22.05, 9);
    const { curtailmentId } = curtail.body.curtailment;
    const [firstShed] = curtail.body.shed.rigIds;
    expect(
      (await call<FacilityPower>(fleet.power, 'GET', `/facilities/${facilityId}/power`)).body,
    ).toMatchObject({ rigsOn: RIGS - SHED, rigsCurtailed: SHED });

    // Inventory follows: the shed rigs are curtailed.
    await eventually(
      async () => ((await statusesOf())['curtailed'] === SHED ? true : undefined),
      30_000,
      () => 'the shed rigs curtailed in inventory',
    );
    expect(await rigStatus(firstShed)).toBe('curtailed');

    // Power dies (no shutdown hook) and comes back while the curtailment is on.
    await fleet.power.kill();
    await fleet.power.start();

    const ended = await eventually(
      async () => {
        const view = await call<CurtailmentView>(
          fleet.power,
          'GET',
          `/facilities/${facilityId}/curtailments/${curtailmentId}`,
        );
        return view.body.status === 'ended' ? view.body : undefined;
      },
      60_000,
      () => 'the curtailment ending by itself',
    );
    expect(ended).toMatchObject({
      ending: 'scheduled',
      rigsCurtailed: SHED,
      rigsRestored: SHED,
      notRestored: [],
    });
    expect(Date.parse(ended.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(endsAt));

    // Inventory follows the end: every rig online again.
    await eventually(
      async () => ((await statusesOf())['online'] === RIGS ? true : undefined),
      30_000,
      () => 'the restored rigs online in inventory',
    );
    expect(await rigStatus(firstShed)).toBe('online');
    expect(
      (await call<FacilityPower>(fleet.power, 'GET', `/facilities/${facilityId}/power`)).body,
    ).toMatchObject({ rigsOn: RIGS, rigsCurtailed: 0 });
  });
});
