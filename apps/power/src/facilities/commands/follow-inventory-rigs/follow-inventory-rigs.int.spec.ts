import type { InventoryEvent, PowerReleased } from '@fleet/contracts';
import { chunksOf, type EventStore, type RecordedEvent } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '@fleet/service-kit';
import { DataSource } from 'typeorm';
import { eventCount } from '../../../../test/event-count';
import { startPower, waitFor, type PowerApp } from '../../../../test/power-app';
import { inventoryEnvelope, NANO, rigIdOf } from '../../../../test/power-fixtures';
import { facilityStreamId } from '../../domain/facility-id';
import { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { followInventoryRigs, POWER_ACTOR, UnreadableRigEventError } from './follow-inventory-rigs';

describe.each(TEST_DRIVERS)("power following inventory's rigs on %s", (driver) => {
  let power: PowerApp;
  let store: EventStore;
  const rigs = new PowerRigsReadModel();

  beforeAll(async () => {
    power = await startPower(driver);
    store = power.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => power?.close());

  const follow = (envelope: ReturnType<typeof inventoryEnvelope>) =>
    store.transaction(async (session) => {
      const { released } = await followInventoryRigs(session, [envelope], rigs);
      return { released: released.length };
    });
  const viewOf = (rigId: string) => store.transaction((session) => rigs.findById(session.manager, rigId));
  const registered = (rigId: string, facilityId: string): InventoryEvent => ({
    type: 'RigRegistered',
    data: {
      rigId,
      serialNumber: `SN-${rigId.slice(-6)}`,
      model: NANO,
      facilityId,
      source: { kind: 'manual' },
    },
  });
  const installed = (rigId: string, facilityId: string, slot = 1): InventoryEvent => ({
    type: 'RigInstalled',
    data: { rigId, facilityId, rack: 'A01', slot },
  });

  async function facilityWithCapacity(facilityId: string): Promise<void> {
    const response = await power.call('PUT', `/facilities/${facilityId}/capacity`, {
      as: 'admin',
      body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 100 }], pue: 1.05 },
    });
    expect(response.statusCode).toBe(200);
  }

  async function powerOn(facilityId: string, rigIds: string[]) {
    const response = await power.call('POST', `/facilities/${facilityId}/power-on`, { body: { rigIds } });
    expect(response.statusCode).toBe(200);
    return response.json() as { powered: number; rejected: { rigId: string; reason: string }[] };
  }

  async function releasesOf(facilityId: string): Promise<RecordedEvent<PowerReleased>[]> {
    const { events } = await store.readStream(facilityStreamId(facilityId));
    return events.filter((event): event is RecordedEvent<PowerReleased> => event.type === 'PowerReleased');
  }

  it('powers a rig once inventory has registered and installed it, through JetStream', async () => {
    const facilityId = 'pf-jetstream';
    const rigId = rigIdOf(1, 11);
    await facilityWithCapacity(facilityId);
    expect((await powerOn(facilityId, [rigId])).rejected).toEqual([{ rigId, reason: 'not-installed' }]);

    await power.publishInventoryEvent(inventoryEnvelope(registered(rigId, facilityId), 1));
    await power.publishInventoryEvent(inventoryEnvelope(installed(rigId, facilityId, 4), 2));
    await waitFor(
      async () => ((await viewOf(rigId))?.status === 'installed' ? true : undefined),
      'the rig installed',
    );

    expect(await powerOn(facilityId, [rigId])).toEqual({ dryRun: false, powered: 1, rejected: [] });
  });

  it('takes the model from a registration that comes after the installation', async () => {
    const facilityId = 'pf-late';
    const rigId = rigIdOf(2, 11);
    await follow(inventoryEnvelope(installed(rigId, facilityId, 2), 2));
    expect(await viewOf(rigId)).toMatchObject({ status: 'installed', model: null, rack: 'A01', slot: 2 });
    await follow(inventoryEnvelope(registered(rigId, facilityId), 1));
    expect(await viewOf(rigId)).toMatchObject({
      status: 'installed',
      model: NANO,
      rack: 'A01',
      slot: 2,
      version: 2,
    });
  });

  it.each([
    ['sent to repair', 'RigSentToRepair', 'rig-in-repair', 3],
    ['decommissioned', 'RigDecommissioned', 'rig-decommissioned', 6],
  ] as const)('releases a powered rig %s, once, traced to the event', async (_case, type, reason, n) => {
    const facilityId = `pf-${reason}`;
    const rigId = rigIdOf(n, 11);
    await facilityWithCapacity(facilityId);
    await follow(inventoryEnvelope(registered(rigId, facilityId), 1));
    await follow(inventoryEnvelope(installed(rigId, facilityId), 2));
    expect((await powerOn(facilityId, [rigId])).powered).toBe(1);

    const leaving = inventoryEnvelope(
      { type, data: { rigId, facilityId, reason: 'fan failure', vacated: { rack: 'A01', slot: 1 } } },
      3,
    );
    expect(await follow(leaving)).toMatchObject({ released: 1 });
    const [release] = await releasesOf(facilityId);
    expect(release).toMatchObject({
      data: { reason, rigs: [{ rigId, rack: 'A01', slot: 1, model: NANO, itWatts: 2100 }] },
      metadata: { causationId: leaving.eventId, correlationId: leaving.correlationId, actor: POWER_ACTOR },
    });

    // A second delivery finds nothing to release; a power-on finds the rig gone from its slot.
    const before = await eventCount(power.app.get(DataSource));
    expect(await follow(leaving)).toMatchObject({ released: 0 });
    expect(await eventCount(power.app.get(DataSource))).toBe(before);
    expect((await powerOn(facilityId, [rigId])).rejected).toEqual([{ rigId, reason: 'not-installed' }]);
  });

  it('applies runs of registrations and installations of the same rigs side by side, losing none', async () => {
    const facilityId = 'pf-side-by-side';
    const ids = Array.from({ length: 600 }, (_, n) => rigIdOf(n + 1, 12));
    const registrations = ids.map((id) => inventoryEnvelope(registered(id, facilityId), 1));
    // In the opposite order: the two consumers' runs lock overlapping rigs from opposite ends.
    const installations = ids
      .map((id, n) => inventoryEnvelope(installed(id, facilityId, n + 1), 2))
      .reverse();
    const applyInRuns = async (envelopes: readonly ReturnType<typeof inventoryEnvelope>[]) => {
      for (const run of chunksOf(envelopes, 100))
        await store.transaction((session) => followInventoryRigs(session, run, rigs));
    };
    await Promise.all([applyInRuns(registrations), applyInRuns(installations)]);
    const view = await store.transaction((session) => rigs.findByIds(session.manager, ids));
    expect([...view.values()].filter((rig) => rig.status === 'installed' && rig.model === NANO)).toHaveLength(
      600,
    );
  });

  it('ignores an event older than the one applied', async () => {
    const facilityId = 'pf-old';
    const rigId = rigIdOf(4, 11);
    await follow(inventoryEnvelope(registered(rigId, facilityId), 1));
    await follow(
      inventoryEnvelope({ type: 'RigSentToRepair', data: { rigId, facilityId, reason: 'psu' } }, 3),
    );
    await follow(inventoryEnvelope(installed(rigId, facilityId), 2));
    expect(await viewOf(rigId)).toMatchObject({ status: 'in_repair', version: 3 });
  });

  it('refuses an event it cannot read, and writes nothing', async () => {
    const envelope = inventoryEnvelope(registered(rigIdOf(5, 11), 'pf-bad'), 1);
    await expect(follow({ ...envelope, schemaVersion: 2 })).rejects.toBeInstanceOf(UnreadableRigEventError);
    await expect(
      follow({ ...envelope, data: { ...envelope.data, model: 'antminer-x99' } }),
    ).rejects.toBeInstanceOf(UnreadableRigEventError);
    expect(await viewOf(rigIdOf(5, 11))).toBeNull();
  });
});
