import { jetstreamManager } from '@nats-io/jetstream';
import { RIG_MODELS, type PowerEvent } from '@fleet/contracts';
import { retryOnConflict, type EventStore } from '@fleet/event-sourcing';
import { createTestDatabase, type TestDatabase } from '@fleet/event-sourcing/testing';
import { deleteMessagingNamespace, MessagingNames } from '@fleet/messaging';
import { EVENT_STORE } from '@fleet/service-kit';
import { SeededRandom } from '@fleet/service-kit/testing';
import { followInventoryRigs } from '../src/facilities/commands/follow-inventory-rigs/follow-inventory-rigs';
import { facilityStreamId } from '../src/facilities/domain/facility-id';
import { PowerRigsReadModel } from '../src/facilities/read-model/power-rigs.read-model';
import { startPower, type PowerApp } from './power-app';
import { installedRigs, inventoryEnvelope, seedPowerRigs, type InstalledRigRow } from './power-fixtures';

const RUNS = 20;
const RIGS_PER_RUN = 48;
const REQUESTS_PER_RUN = 32;
/** Requests in flight at once, spread over both instances. */
const CONCURRENCY = 8;

interface Limits {
  readonly limitMilliwatts: number;
  readonly pueMilli: number;
  readonly budgets: ReadonlyMap<string, number>;
}

/**
 * The invariant, checked after every event of the facility's stream with arithmetic of its own
 * (not the decider's state): facility load ≤ capacity − reserve, every rack ≤ its budget, no rig
 * allocated twice or released (or curtailed) when it was not on, and nothing allocated or restored
 * above the lowest target of the curtailments active.
 */
function violationsOf(events: readonly PowerEvent[], limits: Limits): string[] {
  const allocated = new Map<string, { rack: string; itWatts: number }>();
  const holds = new Map<string, number>();
  const violations: string[] = [];
  for (const [index, event] of events.entries()) {
    const allocate = (rig: { rigId: string; rack: string; itWatts: number }) => {
      if (allocated.has(rig.rigId)) violations.push(`event ${index + 1}: ${rig.rigId} allocated twice`);
      allocated.set(rig.rigId, rig);
    };
    const release = (rigId: string, what: string) => {
      if (!allocated.delete(rigId)) violations.push(`event ${index + 1}: ${rigId} ${what} while off`);
    };
    if (event.type === 'PowerAllocated') for (const rig of event.data.rigs) allocate(rig);
    if (event.type === 'PowerReleased') for (const rig of event.data.rigs) release(rig.rigId, 'released');
    if (event.type === 'RigsCurtailed') {
      holds.set(event.data.curtailmentId, event.data.targetLoadWatts * 1000);
      for (const rig of event.data.rigs) release(rig.rigId, 'curtailed');
    }
    if (event.type === 'CurtailmentEnded') {
      holds.delete(event.data.curtailmentId);
      for (const rig of event.data.restored) allocate(rig);
    }
    let itWatts = 0;
    const racks = new Map<string, number>();
    for (const rig of allocated.values()) {
      itWatts += rig.itWatts;
      racks.set(rig.rack, (racks.get(rig.rack) ?? 0) + rig.itWatts);
    }
    if (itWatts * limits.pueMilli > limits.limitMilliwatts)
      violations.push(
        `event ${index + 1}: facility load ${itWatts * limits.pueMilli} mW over ${limits.limitMilliwatts}`,
      );
    const hold = Math.min(...holds.values());
    const raising = event.type === 'PowerAllocated' || event.type === 'CurtailmentEnded';
    if (raising && itWatts * limits.pueMilli > hold)
      violations.push(
        `event ${index + 1}: facility load ${itWatts * limits.pueMilli} mW over a curtailment's ${hold}`,
      );
    for (const [rack, watts] of racks) {
      const budget = limits.budgets.get(rack);
      if (budget !== undefined && watts > budget)
        violations.push(`event ${index + 1}: rack ${rack} at ${watts} W over its ${budget} W`);
    }
  }
  return violations;
}

/** The rigs allocated once every event is applied. */
function allocatedAtEnd(events: readonly { type: string; data: unknown }[]): Set<string> {
  const allocated = new Set<string>();
  for (const event of events) {
    const rigs = (event.data as { rigs?: { rigId: string }[] }).rigs ?? [];
    const restored = (event.data as { restored?: { rigId: string }[] }).restored ?? [];
    if (event.type === 'PowerAllocated') for (const rig of rigs) allocated.add(rig.rigId);
    if (event.type === 'PowerReleased' || event.type === 'RigsCurtailed')
      for (const rig of rigs) allocated.delete(rig.rigId);
    if (event.type === 'CurtailmentEnded') for (const rig of restored) allocated.add(rig.rigId);
  }
  return allocated;
}

/** What power's consumer does when inventory says the rig went to repair: its view, and a release if powered. */
function sendToRepair(instance: PowerApp, rig: InstalledRigRow): Promise<unknown> {
  const envelope = inventoryEnvelope(
    { type: 'RigSentToRepair', data: { rigId: rig.id, facilityId: rig.facilityId, reason: 'fan failure' } },
    3,
  );
  const store = instance.app.get<EventStore>(EVENT_STORE);
  // A conflict rolls the consumer's transaction back and the message comes again: retry likewise.
  return retryOnConflict(
    () => store.transaction((session) => followInventoryRigs(session, [envelope], new PowerRigsReadModel())),
    10,
  );
}

describe('the power invariant under two instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  const names = MessagingNames.isolated('pwr2');
  let instances: PowerApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // One after the other: the first runs the migrations.
    const first = await startPower('postgres', { sharedDatabase: database, sharedNames: names });
    const second = await startPower('postgres', { sharedDatabase: database, sharedNames: names });
    instances = [first, second];
  });
  afterAll(async () => {
    const [first] = instances;
    if (first) await deleteMessagingNamespace(await jetstreamManager(first.nats), names);
    for (const instance of instances.reverse()) await instance.close();
    await database?.dispose();
  });

  it(`holds over ${RUNS} seeded runs of ${REQUESTS_PER_RUN} concurrent power-ons, power-offs and curtailments, rigs leaving for repair meanwhile`, async () => {
    const store = instances[0].app.get<EventStore>(EVENT_STORE);
    const outcomes: Record<string, number> = {};
    let rigsShed = 0;
    let rigsRestored = 0;
    for (let run = 0; run < RUNS; run++) {
      const seed = 0x9000 + run;
      const random = new SeededRandom(seed);
      const facilityId = `inv-run-${run}`;
      // Mixed models, so that a smaller rig may fit where a larger one did not.
      const rigs: InstalledRigRow[] = installedRigs(facilityId, RIGS_PER_RUN, {
        perRack: 8,
        tag: 100 + run,
      }).map((rig) => ({ ...rig, model: random.pick(RIG_MODELS).id }));
      await seedPowerRigs(store, rigs);
      const racks = [...new Set(rigs.map((rig) => rig.rack))];
      // Room for roughly half the rigs; each rack's budget for three to six of them.
      const capacityKw = random.int(40, 80);
      const reserveKw = random.int(0, 10);
      const pue = random.pick([1, 1.05, 1.2, 1.333]);
      const budgetKw = new Map(racks.map((rack) => [rack, random.int(8, 18)]));
      const admin = instances[0];
      const setUp = await admin.call('PUT', `/facilities/${facilityId}/capacity`, {
        as: 'admin',
        body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw }], reserveKw, pue },
      });
      expect(setUp.statusCode).toBe(200);
      for (const [rack, budget] of budgetKw) {
        const response = await admin.call('PUT', `/facilities/${facilityId}/racks/${rack}`, {
          as: 'admin',
          body: { budgetKw: budget },
        });
        expect(response.statusCode).toBe(200);
      }

      const requests = Array.from({ length: REQUESTS_PER_RUN }, () => {
        const action = random.pick(['power-on', 'power-on', 'power-off', 'curtail', 'end'] as const);
        const instance = instances[random.int(0, 1)];
        if (action === 'curtail') {
          const target =
            random.int(0, 2) === 0 ? { reduceByKw: random.int(1, 20) } : { targetLoadKw: random.int(10, 60) };
          const body = { ...target, endsAt: '2099-01-01T00:00:00Z', reason: 'invariant' };
          return { instance, action, body };
        }
        // Ends one of the curtailments begun in an earlier batch, when there is one.
        if (action === 'end') return { instance, action, pick: random.int(0, 1_000_000) };
        const selector = random.int(0, 9);
        const body =
          selector < 6
            ? { rigIds: Array.from({ length: random.int(1, 12) }, () => random.pick(rigs).id) }
            : selector < 9
              ? { racks: Array.from({ length: random.int(1, 3) }, () => random.pick(racks)) }
              : { all: true };
        return { instance, action, body };
      });
      const curtailmentIds: string[] = [];
      const send = (request: (typeof requests)[number]): Promise<number> => {
        const { instance } = request;
        if (request.action === 'end') {
          if (curtailmentIds.length === 0) return Promise.resolve(200);
          const id = curtailmentIds[request.pick % curtailmentIds.length];
          return instance
            .call('POST', `/facilities/${facilityId}/curtailments/${id}/end`)
            .then((response) => response.statusCode);
        }
        const path = request.action === 'curtail' ? 'curtailments' : request.action;
        return instance
          .call('POST', `/facilities/${facilityId}/${path}`, { body: request.body })
          .then((response) => {
            const created = (response.json() as { curtailment?: { curtailmentId: string } }).curtailment;
            if (created) curtailmentIds.push(created.curtailmentId);
            return response.statusCode;
          });
      };
      // Meanwhile rigs leave for repair, as power's inventory consumer learns it, on either instance.
      const leaving = Array.from({ length: REQUESTS_PER_RUN / CONCURRENCY }, () => ({
        instance: instances[random.int(0, 1)],
        rig: random.pick(rigs),
      }));
      const inRepair = new Set<string>();
      for (let start = 0; start < requests.length; start += CONCURRENCY) {
        const { instance: consumerOf, rig } = leaving[start / CONCURRENCY];
        const [, ...statuses] = await Promise.all([
          inRepair.has(rig.id)
            ? Promise.resolve()
            : sendToRepair(consumerOf, rig).then(() => inRepair.add(rig.id)),
          ...requests.slice(start, start + CONCURRENCY).map(send),
        ]);
        for (const status of statuses) outcomes[status] = (outcomes[status] ?? 0) + 1;
      }

      const { events } = await store.readStream<PowerEvent>(facilityStreamId(facilityId));
      const limits: Limits = {
        limitMilliwatts: (capacityKw - reserveKw) * 1000 * 1000,
        pueMilli: Math.round(pue * 1000),
        budgets: new Map([...budgetKw].map(([rack, kw]) => [rack, kw * 1000])),
      };
      const violations = violationsOf(
        events.map((event) => ({ type: event.type, data: event.data }) as PowerEvent),
        limits,
      );
      // And no rig in repair is left powered: a power-on never allocates after the release committed.
      const stillOn = [...inRepair].filter((rigId) => allocatedAtEnd(events).has(rigId));
      expect({ seed, violations, stillOn }).toEqual({ seed, violations: [], stillOn: [] });
      for (const { type, data } of events) {
        if (type === 'RigsCurtailed') rigsShed += (data as { rigs: unknown[] }).rigs.length;
        if (type === 'CurtailmentEnded') rigsRestored += (data as { restored: unknown[] }).restored.length;
      }
      // The runs must reach the limits, or the invariant was never at stake.
      if (run === RUNS - 1) {
        const rejections = events.filter((event) => event.type === 'PowerRequestRejected');
        expect(rejections.length).toBeGreaterThan(0);
      }
    }
    // Curtailments shed and restored rigs, or they were never at stake either.
    expect(rigsShed).toBeGreaterThan(0);
    expect(rigsRestored).toBeGreaterThan(0);
    // Every request was answered; none failed (a conflict past its retries would be a 409).
    expect(outcomes).toEqual({ 200: RUNS * REQUESTS_PER_RUN });
    // 20 runs of 38 requests on two instances: about 15 s on a quiet machine, twice that on a busy one.
  }, 180_000);

  it('catches a broken invariant (the check itself can fail)', () => {
    const rig = { rack: 'R000', slot: 1, model: 'asicminer-8-nano', itWatts: 2100 };
    const allocation = (rigId: string): PowerEvent => ({
      type: 'PowerAllocated',
      data: { facilityId: 'x', requestId: rigId, part: 1, parts: 1, rigs: [{ ...rig, rigId }] },
    });
    const limits = { limitMilliwatts: 2100 * 1050, pueMilli: 1050, budgets: new Map([['R000', 4000]]) };
    expect(violationsOf([allocation('a')], limits)).toEqual([]);
    expect(violationsOf([allocation('a'), allocation('b')], limits)).toEqual([
      `event 2: facility load ${2 * 2100 * 1050} mW over ${2100 * 1050}`,
      'event 2: rack R000 at 4200 W over its 4000 W',
    ]);
    const curtailmentId = '44444444-4444-4444-8444-444444444444';
    const curtailedToNothing: PowerEvent = {
      type: 'RigsCurtailed',
      data: { facilityId: 'x', curtailmentId, part: 1, parts: 1, targetLoadWatts: 0, rigs: [] },
    };
    expect(violationsOf([curtailedToNothing, allocation('a')], limits)).toEqual([
      `event 2: facility load ${2100 * 1050} mW over a curtailment's 0`,
    ]);
  });
});
