import type { PowerEvent } from '@fleet/contracts';
import { loadAggregate, type EventStore } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '@fleet/service-kit';
import type { Response } from 'light-my-request';
import { DataSource } from 'typeorm';
import { facilityDecider, facilitySnapshots } from '../src/facilities/domain/facility.decider';
import { foldFacility } from '../src/facilities/domain/facility.state';
import { facilityStreamId } from '../src/facilities/domain/facility-id';
import { FacilityPowerView } from '../src/facilities/read-model/facility-power.views';
import { FacilitySnapshotWriter } from '../src/facilities/read-model/facility-snapshot-writer';
import { eventCount } from './event-count';
import { installedRigs, rigIdOf, seedPowerRigs } from './power-fixtures';
import { PROBLEM_JSON, startPower, type CallOptions, type PowerApp } from './power-app';

const SEED_CAPACITY = {
  schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 3000 }],
  reserveKw: 0,
  pue: 1.05,
};

describe.each(TEST_DRIVERS)('power HTTP API on %s', (driver) => {
  let power: PowerApp;
  let store: EventStore;

  beforeAll(async () => {
    power = await startPower(driver);
    store = power.app.get<EventStore>(EVENT_STORE);
  });
  afterAll(() => power?.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, options?: CallOptions) =>
    power.call(method, url, options);
  const events = () => eventCount(power.app.get(DataSource));

  async function ok(response: Promise<Response>): Promise<Record<string, unknown>> {
    const answer = await response;
    expect({ status: answer.statusCode, body: answer.json() as unknown }).toMatchObject({ status: 200 });
    return answer.json();
  }

  async function expectRefused(request: () => Promise<Response>, status: number, code?: string) {
    const before = await events();
    const response = await request();
    expect({ status: response.statusCode, body: response.json() as unknown }).toMatchObject({
      status,
      body: { status, ...(code ? { code } : {}) },
    });
    expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    expect(await events()).toBe(before);
  }

  const power_ = (facilityId: string, query = '') =>
    ok(call('GET', `/facilities/${facilityId}/power${query}`, { as: 'reports' })).then((body) =>
      FacilityPowerView.parse(body),
    );

  describe('the seed facility: 3 MW at PUE 1.05, racks of 20 rigs of 2.1 kW with 42 kW budgets', () => {
    const facilityId = 'us-seed';
    const rigs = installedRigs(facilityId, 1361, { tag: 1 });
    let beforePowerOn: string;

    beforeAll(async () => {
      await ok(call('PUT', `/facilities/${facilityId}/capacity`, { as: 'admin', body: SEED_CAPACITY }));
      for (const rack of new Set(rigs.map((rig) => rig.rack)))
        await ok(
          call('PUT', `/facilities/${facilityId}/racks/${rack}`, { as: 'admin', body: { budgetKw: 42 } }),
        );
      await seedPowerRigs(store, rigs);
      beforePowerOn = new Date().toISOString();
    });

    it('answers the capacity in force, reserve, PUE and every rack, with nothing allocated', async () => {
      const view = await power_(facilityId);
      expect(view).toMatchObject({
        facilityId,
        capacityKw: 3000,
        reserveKw: 0,
        pue: 1.05,
        itKwAllocated: 0,
        facilityLoadKw: 0,
        availableKw: 3000,
        rigsOn: 0,
        rigsCurtailed: 0,
      });
      expect(view.racks).toHaveLength(69);
      expect(view.racks[0]).toEqual({ rack: 'R000', budgetKw: 42, allocatedKw: 0 });
    });

    it('a dry run answers what power-on would do and changes nothing', async () => {
      const before = await events();
      const answer = await ok(
        call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true, dryRun: true } }),
      );
      expect(answer).toEqual({
        dryRun: true,
        powered: 1360,
        rejected: [{ rigId: rigIdOf(1361, 1), reason: 'facility-capacity' }],
      });
      expect(await events()).toBe(before);
      expect((await power_(facilityId)).rigsOn).toBe(0);
    });

    it('powers 1,360 rigs in one request and refuses the one that would pass 3 MW', async () => {
      const answer = await ok(call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true } }));
      expect(answer).toEqual({
        dryRun: false,
        powered: 1360,
        rejected: [{ rigId: rigIdOf(1361, 1), reason: 'facility-capacity' }],
      });
      const view = await power_(facilityId);
      // 1,360 × 2.1 kW = 2,856 kW of IT; × 1.05 = 2,998.8 kW at the meter.
      expect(view).toMatchObject({ rigsOn: 1360, itKwAllocated: 2856, facilityLoadKw: 2998.8 });
      expect(view.availableKw).toBeCloseTo(1.2, 9);
      expect(view.racks[0]).toEqual({ rack: 'R000', budgetKw: 42, allocatedKw: 42 });
      // Allocations in parts of at most 1,000 rigs.
      const { events: stream } = await store.readStream(facilityStreamId(facilityId));
      const allocated = stream.filter((event) => event.type === 'PowerAllocated');
      expect(allocated.map((event) => (event.data as { rigs: unknown[] }).rigs.length)).toEqual([1000, 360]);
    });

    it('answers as of an earlier instant from the events up to then', async () => {
      expect(await power_(facilityId, `?at=${encodeURIComponent(beforePowerOn)}`)).toMatchObject({
        rigsOn: 0,
        itKwAllocated: 0,
        capacityKw: 3000,
      });
      await expectRefused(
        () => call('GET', `/facilities/${facilityId}/power?at=2020-01-01T00:00:00Z`),
        404,
        'facility-not-found',
      );
      await expectRefused(() => call('GET', `/facilities/${facilityId}/power?at=yesterday`), 400);
    });

    it('refuses a rig already on, one not installed, and one over its rack budget', async () => {
      const stranger = '99999999-9999-4999-8999-999999999999';
      await ok(call('POST', `/facilities/${facilityId}/power-off`, { body: { racks: ['R001'] } }));
      await ok(call('PUT', `/facilities/${facilityId}/racks/R001`, { as: 'admin', body: { budgetKw: 4.2 } }));
      const r001 = rigs.filter((rig) => rig.rack === 'R001').map((rig) => rig.id);
      const answer = await ok(
        call('POST', `/facilities/${facilityId}/power-on`, {
          body: { rigIds: [rigIdOf(1, 1), stranger, ...r001.slice(0, 3)] },
        }),
      );
      expect(answer).toEqual({
        dryRun: false,
        powered: 2,
        rejected: [
          { rigId: rigIdOf(1, 1), reason: 'already-on' },
          { rigId: stranger, reason: 'not-installed' },
          { rigId: r001[2], reason: 'rack-budget' },
        ],
      });
    });

    it('powers off by rig ids, answering not-on for rigs that are not', async () => {
      const answer = await ok(
        call('POST', `/facilities/${facilityId}/power-off`, {
          body: { rigIds: [rigIdOf(1, 1), rigIdOf(1361, 1)] },
        }),
      );
      expect(answer).toEqual({
        dryRun: false,
        released: 1,
        rejected: [{ rigId: rigIdOf(1361, 1), reason: 'not-on' }],
      });
    });

    it('writes a snapshot after the commit when the events since the last outweigh it, and loads from it', async () => {
      const streamId = facilityStreamId(facilityId);
      const writer = power.app.get(FacilitySnapshotWriter);
      // One the earlier requests asked for may still be on its way.
      await writer.settled();
      const written: number[] = [];
      const save = store.saveSnapshot.bind(store);
      // The writer saves through the store, in its own transaction; a command's session never does.
      store.saveSnapshot = async (snapshot) => {
        written.push(snapshot.version);
        await save(snapshot);
      };
      try {
        // Every rig off: 1,341 rigs in two events, far more to replay than a snapshot of none.
        await ok(call('POST', `/facilities/${facilityId}/power-off`, { body: { all: true } }));
        await writer.settled();
        const [afterOff] = (await store.readStream(streamId, { afterVersion: 0 })).events.slice(-1);
        expect(written).toEqual([afterOff.streamVersion]);

        // On again (about 1,340 rigs in three events), then 40 single-rig requests: together they
        // outweigh a snapshot of ~1,340 allocations once; a fixed "every 20 events" would write 2.
        await ok(call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true } }));
        for (let index = 0; index < 40; index++)
          await ok(
            call('POST', `/facilities/${facilityId}/power-off`, {
              body: { rigIds: [rigIdOf(100 + index, 1)] },
            }),
          );
        await writer.settled();
        expect(written).toHaveLength(2);
      } finally {
        store.saveSnapshot = save;
      }

      const snapshot = await store.loadSnapshot(streamId, facilitySnapshots.schemaVersion);
      const { events: stream, version } = await store.readStream<PowerEvent>(streamId);
      expect(snapshot?.version).toBeGreaterThan(written[0]);
      expect(snapshot?.version).toBeLessThan(version);
      // The snapshot and the events after it make the same facility as every event folded.
      const fromSnapshot = await loadAggregate(store, facilityDecider, streamId, facilitySnapshots);
      expect(fromSnapshot.state).toEqual(
        foldFacility(stream.map((event) => ({ type: event.type, data: event.data }) as PowerEvent)),
      );
      // The instance's recent state answers the same as every event folded.
      const { at, ...now } = await power_(facilityId);
      expect(now.rigsOn).toBe(fromSnapshot.state.allocations.size);
      const { at: _at, ...folded } = await power_(facilityId, `?at=${encodeURIComponent(at)}`);
      expect(folded).toEqual(now);
    });
  });

  describe('a capacity schedule', () => {
    it('puts the last step that has passed in force, and the 30 MW step admits 13,300 rigs', async () => {
      const facilityId = 'us-growth';
      const inAMinute = new Date(Date.now() + 60_000).toISOString();
      await ok(
        call('PUT', `/facilities/${facilityId}/capacity`, {
          as: 'admin',
          body: {
            schedule: [
              { effectiveFrom: '2026-10-01', capacityKw: 3000 },
              { effectiveFrom: inAMinute, capacityKw: 30000 },
            ],
            pue: 1.05,
          },
        }),
      );
      expect((await power_(facilityId)).capacityKw).toBe(3000);
      expect((await power_(facilityId, `?at=${encodeURIComponent(inAMinute)}`)).capacityKw).toBe(30000);
      await ok(
        call('PUT', `/facilities/${facilityId}/capacity`, {
          as: 'admin',
          body: { schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 30000 }], reserveKw: 0, pue: 1.05 },
        }),
      );
      await seedPowerRigs(store, installedRigs(facilityId, 13_300, { tag: 2 }));
      const answer = await ok(call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true } }));
      expect(answer).toEqual({ dryRun: false, powered: 13_300, rejected: [] });
      // 13,300 × 2.1 kW × 1.05 = 29,326.5 kW.
      expect(await power_(facilityId)).toMatchObject({ rigsOn: 13_300, facilityLoadKw: 29326.5 });
    });
  });

  describe('order', () => {
    it('powers racks in the order named and each rack by slot, until the facility is full', async () => {
      const facilityId = 'us-order';
      // Room for three 2.1 kW rigs at PUE 1.05 (6.615 kW), not four.
      await ok(
        call('PUT', `/facilities/${facilityId}/capacity`, {
          as: 'admin',
          body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 6.7 }], pue: 1.05 },
        }),
      );
      const rigs = installedRigs(facilityId, 6, { perRack: 2, tag: 3 });
      // Stored backwards: the order must come from racks and slots, not from the table.
      await seedPowerRigs(store, [...rigs].reverse());
      const [r0s1, r0s2, , , r2s1, r2s2] = rigs.map((rig) => rig.id);
      const answer = await ok(
        call('POST', `/facilities/${facilityId}/power-on`, { body: { racks: ['R002', 'R000'] } }),
      );
      expect(answer).toEqual({
        dryRun: false,
        powered: 3,
        rejected: [{ rigId: r0s2, reason: 'facility-capacity' }],
      });
      const { events: stream } = await store.readStream(facilityStreamId(facilityId));
      const allocated = stream.find((event) => event.type === 'PowerAllocated');
      expect((allocated?.data as { rigs: { rigId: string }[] }).rigs.map((rig) => rig.rigId)).toEqual([
        r2s1,
        r2s2,
        r0s1,
      ]);
    });
  });

  describe('versions', () => {
    it("answers the facility stream's version as ETag and honours If-Match on the PUTs", async () => {
      const facilityId = 'us-versions';
      const first = await call('PUT', `/facilities/${facilityId}/capacity`, {
        as: 'admin',
        body: SEED_CAPACITY,
      });
      expect(first.headers.etag).toBe('"1"');
      const budget = await call('PUT', `/facilities/${facilityId}/racks/A01`, {
        as: 'admin',
        body: { budgetKw: 60 },
        headers: { 'if-match': '"1"' },
      });
      expect(budget.statusCode).toBe(200);
      expect(budget.headers.etag).toBe('"2"');
      expect((await call('GET', `/facilities/${facilityId}/power`)).headers.etag).toBe('"2"');
      await expectRefused(
        () =>
          call('PUT', `/facilities/${facilityId}/racks/A01`, {
            as: 'admin',
            body: { budgetKw: 50 },
            headers: { 'if-match': '"1"' },
          }),
        412,
        'version-mismatch',
      );
    });
  });

  describe('refusals', () => {
    it('wants admin for capacity and budgets, operations for power', async () => {
      await expectRefused(() => call('PUT', '/facilities/us-roles/capacity', { body: SEED_CAPACITY }), 403);
      await expectRefused(
        () => call('PUT', '/facilities/us-roles/racks/A01', { body: { budgetKw: 1 } }),
        403,
      );
      await expectRefused(
        () => call('POST', '/facilities/us-roles/power-on', { as: 'reports', body: { all: true } }),
        403,
      );
      await expectRefused(() => call('GET', '/facilities/us-roles/power', { as: null }), 401);
    });

    it.each([
      ['no selector', { dryRun: true }],
      ['two selectors', { all: true, racks: ['A01'] }],
      ['a rig id that is not a uuid', { rigIds: ['rig-1'] }],
      ['a rack that is not a rack id', { racks: ['A 01'] }],
    ])('refuses a power request with %s: 400, nothing appended', async (_case, body) => {
      await expectRefused(() => call('POST', '/facilities/us-bad/power-on', { body }), 400);
      await expectRefused(() => call('POST', '/facilities/us-bad/power-off', { body }), 400);
    });

    it.each([
      [
        'steps out of order',
        {
          ...SEED_CAPACITY,
          schedule: [...SEED_CAPACITY.schedule, { effectiveFrom: '2026-01-01', capacityKw: 1 }],
        },
      ],
      ['a PUE below 1', { ...SEED_CAPACITY, pue: 0.95 }],
      ['a negative reserve', { ...SEED_CAPACITY, reserveKw: -5 }],
      [
        'fractions of a watt',
        { ...SEED_CAPACITY, schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 1.00001 }] },
      ],
      ['no schedule', { pue: 1.05 }],
    ])('refuses a capacity with %s: 400, nothing appended', async (_case, body) => {
      await expectRefused(() => call('PUT', '/facilities/us-bad/capacity', { as: 'admin', body }), 400);
    });

    it('refuses a facility id that is not a subject token and a facility without power', async () => {
      await expectRefused(
        () => call('PUT', '/facilities/US.TX/capacity', { as: 'admin', body: SEED_CAPACITY }),
        400,
      );
      await expectRefused(() => call('GET', '/facilities/us-nowhere/power'), 404, 'facility-not-found');
    });
  });
});
