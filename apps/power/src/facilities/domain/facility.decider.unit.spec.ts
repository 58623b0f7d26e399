import type { PowerEvent, PoweredRig } from '@fleet/contracts';
import { replay } from '@fleet/event-sourcing';
import { deciderSpec } from '@fleet/event-sourcing/testing';
import type { PowerCandidate, PowerOff, PowerOn } from './facility.commands';
import { facilityDecider, facilitySnapshots } from './facility.decider';
import { capacityInForceWatts, foldFacility, type FacilityState } from './facility.state';

const spec = deciderSpec(facilityDecider);

const facilityId = 'us-tx-01';
const requestId = '33333333-3333-4333-8333-333333333333';
const nano = 'asicminer-8-nano';
const now = '2026-11-29T12:00:00.000Z';

/** Rig ids that read as what they are: rig n is `00000000-0000-4000-8000-<n>`. */
const rigId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rig = (n: number, rack = 'A01', itWatts = 2100): PoweredRig => ({
  rigId: rigId(n),
  rack,
  slot: n,
  model: nano,
  itWatts,
});
const installed = (poweredRig: PoweredRig): PowerCandidate => {
  const { rigId: id, ...placement } = poweredRig;
  return { rigId: id, placement };
};

const scheduled = (
  capacityWatts: number,
  options: {
    reserveWatts?: number;
    pueMilli?: number;
    steps?: { effectiveFrom: string; capacityWatts: number }[];
  } = {},
): PowerEvent => ({
  type: 'FacilityCapacityScheduled',
  data: {
    facilityId,
    schedule: options.steps ?? [{ effectiveFrom: '2026-10-01', capacityWatts }],
    reserveWatts: options.reserveWatts ?? 0,
    pueMilli: options.pueMilli ?? 1050,
  },
});
const budget = (rack: string, budgetWatts: number): PowerEvent => ({
  type: 'RackBudgetSet',
  data: { facilityId, rack, budgetWatts },
});
const allocated = (rigs: PoweredRig[]): PowerEvent => ({
  type: 'PowerAllocated',
  data: { facilityId, requestId, part: 1, parts: 1, rigs },
});
const powerOn = (rigs: PowerCandidate[], at = now): PowerOn => ({
  type: 'PowerOn',
  data: { facilityId, requestId, at, rigs },
});
const powerOff = (
  selection: PowerOff['data']['selection'],
  reason: PowerOff['data']['reason'] = 'requested',
): PowerOff => ({
  type: 'PowerOff',
  data: { facilityId, requestId, reason, selection },
});

describe('the facility decider', () => {
  describe('capacity and budgets', () => {
    it('records a capacity schedule and a rack budget as given', () => {
      const command = {
        type: 'ScheduleCapacity',
        data: {
          facilityId,
          schedule: [{ effectiveFrom: '2026-10-01', capacityWatts: 3_000_000 }],
          reserveWatts: 0,
          pueMilli: 1050,
        },
      } as const;
      spec
        .given([])
        .when(command)
        .then([scheduled(3_000_000)]);
      spec
        .given([scheduled(3_000_000)])
        .when({ type: 'SetRackBudget', data: { facilityId, rack: 'A01', budgetWatts: 60_000 } })
        .then([budget('A01', 60_000)]);
    });

    it('puts in force the last step whose effectiveFrom has passed', () => {
      const state = replay(facilityDecider, [
        scheduled(0, {
          steps: [
            { effectiveFrom: '2026-10-01', capacityWatts: 3_000_000 },
            { effectiveFrom: '2027-06-01T00:00:00Z', capacityWatts: 30_000_000 },
          ],
        }),
      ]);
      expect(capacityInForceWatts(state, Date.parse('2026-09-30T23:59:59Z'))).toBe(0);
      expect(capacityInForceWatts(state, Date.parse('2026-10-01T00:00:00Z'))).toBe(3_000_000);
      expect(capacityInForceWatts(state, Date.parse('2027-05-31T23:59:59Z'))).toBe(3_000_000);
      expect(capacityInForceWatts(state, Date.parse('2027-06-01T00:00:00Z'))).toBe(30_000_000);
    });
  });

  describe('power-on', () => {
    it('powers the seed: 1,300 rigs of 2.1 kW at PUE 1.05 fit in 3 MW, the 1,361st does not', () => {
      // 1,360 × 2,100 W × 1.05 = 2,998,800 W; one more would be 3,001,005 W.
      const rigs = Array.from({ length: 1361 }, (_, index) => rig(index + 1, `R${Math.floor(index / 20)}`));
      const events = spec
        .given([scheduled(3_000_000)])
        .when(powerOn(rigs.map(installed)))
        .thenReturns();
      expect(events.map((event) => event.type)).toEqual([
        'PowerAllocated',
        'PowerAllocated',
        'PowerRequestRejected',
      ]);
      expect(events[0].data).toMatchObject({ part: 1, parts: 2 });
      const powered = events.flatMap((event) => (event.type === 'PowerAllocated' ? event.data.rigs : []));
      expect(powered).toHaveLength(1360);
      expect(powered.slice(0, 1300)).toEqual(rigs.slice(0, 1300));
      expect(events[2].data).toEqual({
        facilityId,
        requestId,
        part: 1,
        parts: 1,
        request: 'power-on',
        rejected: [{ rigId: rigId(1361), reason: 'facility-capacity' }],
      });
    });

    it('keeps the reserve free', () => {
      // 3,000 W of capacity less 795 W reserve leaves 2,205 W: exactly one 2,100 W rig at PUE 1.05.
      spec
        .given([scheduled(3000, { reserveWatts: 795 })])
        .when(powerOn([installed(rig(1)), installed(rig(2))]))
        .then([
          allocated([rig(1)]),
          {
            type: 'PowerRequestRejected',
            data: {
              facilityId,
              requestId,
              part: 1,
              parts: 1,
              request: 'power-on',
              rejected: [{ rigId: rigId(2), reason: 'facility-capacity' }],
            },
          },
        ]);
    });

    it('keeps each rack within its budget and goes on with the next rigs', () => {
      const events = spec
        .given([scheduled(3_000_000), budget('A01', 4200)])
        .when(powerOn([rig(1), rig(2), rig(3), rig(4, 'B01')].map(installed)))
        .thenReturns();
      expect(events).toEqual([
        allocated([rig(1), rig(2), rig(4, 'B01')]),
        {
          type: 'PowerRequestRejected',
          data: {
            facilityId,
            requestId,
            part: 1,
            parts: 1,
            request: 'power-on',
            rejected: [{ rigId: rigId(3), reason: 'rack-budget' }],
          },
        },
      ]);
    });

    it('counts the rack allocations already made, and a smaller rig may still fit', () => {
      const small = rig(3, 'A01', 1323);
      const events = spec
        .given([scheduled(3_000_000), budget('A01', 5600), allocated([rig(1)])])
        .when(powerOn([rig(2), rig(5), small].map(installed)))
        .thenReturns();
      // 2,100 + 2,100 W in A01; the next 2,100 W would pass 5,600 W, the 1,323 W rig after it does not.
      expect(events).toEqual([
        allocated([rig(2), small]),
        {
          type: 'PowerRequestRejected',
          data: {
            facilityId,
            requestId,
            part: 1,
            parts: 1,
            request: 'power-on',
            rejected: [{ rigId: rigId(5), reason: 'rack-budget' }],
          },
        },
      ]);
    });

    it('refuses a rig that is not installed or already on, and one named twice', () => {
      const events = spec
        .given([scheduled(3_000_000), allocated([rig(1)])])
        .when(
          powerOn([
            installed(rig(1)),
            { rigId: rigId(2), placement: null },
            installed(rig(3)),
            installed(rig(3)),
          ]),
        )
        .thenReturns();
      expect(events).toEqual([
        allocated([rig(3)]),
        {
          type: 'PowerRequestRejected',
          data: {
            facilityId,
            requestId,
            part: 1,
            parts: 1,
            request: 'power-on',
            rejected: [
              { rigId: rigId(1), reason: 'already-on' },
              { rigId: rigId(2), reason: 'not-installed' },
              { rigId: rigId(3), reason: 'already-on' },
            ],
          },
        },
      ]);
    });

    it('uses the capacity in force at the request: before the step to 30 MW, 3 MW', () => {
      const history = [
        scheduled(0, {
          steps: [
            { effectiveFrom: '2026-10-01', capacityWatts: 2205 },
            { effectiveFrom: '2027-06-01', capacityWatts: 4410 },
          ],
        }),
      ];
      const rigs = [installed(rig(1)), installed(rig(2))];
      const before = spec.given(history).when(powerOn(rigs, '2027-05-31T23:00:00Z')).thenReturns();
      expect(before[0]).toEqual(allocated([rig(1)]));
      spec
        .given(history)
        .when(powerOn(rigs, '2027-06-01T00:00:00Z'))
        .then([allocated([rig(1), rig(2)])]);
      // Before the first step there is no capacity at all.
      expect(spec.given(history).when(powerOn(rigs, '2026-09-01T00:00:00Z')).thenReturns()).toHaveLength(1);
    });

    it('refuses a facility that has no record with a 404, and a release there does nothing', () => {
      spec
        .given([])
        .when(powerOn([installed(rig(1))]))
        .thenThrows('not_found', 'facility-not-found');
      spec
        .given([])
        .when(powerOff({ all: true }))
        .thenThrows('not_found', 'facility-not-found');
      spec
        .given([])
        .when(powerOff({ rigIds: [rigId(1)] }, 'rig-in-repair'))
        .then([]);
    });

    it('refuses everything on a facility whose capacity is not in force yet', () => {
      const notYet = scheduled(0, { steps: [{ effectiveFrom: '2099-01-01', capacityWatts: 3_000_000 }] });
      const events = spec
        .given([notYet])
        .when(powerOn([installed(rig(1))]))
        .thenReturns();
      expect(events).toEqual([
        {
          type: 'PowerRequestRejected',
          data: {
            facilityId,
            requestId,
            part: 1,
            parts: 1,
            request: 'power-on',
            rejected: [{ rigId: rigId(1), reason: 'facility-capacity' }],
          },
        },
      ]);
    });
  });

  describe('power-off', () => {
    const history = [scheduled(3_000_000), allocated([rig(2, 'B01'), rig(1), rig(3, 'B01'), rig(4, 'C01')])];

    it('releases the rigs named and answers the others not-on', () => {
      spec
        .given(history)
        .when(powerOff({ rigIds: [rigId(1), rigId(9)] }))
        .then([
          {
            type: 'PowerReleased',
            data: { facilityId, requestId, part: 1, parts: 1, reason: 'requested', rigs: [rig(1)] },
          },
          {
            type: 'PowerRequestRejected',
            data: {
              facilityId,
              requestId,
              part: 1,
              parts: 1,
              request: 'power-off',
              rejected: [{ rigId: rigId(9), reason: 'not-on' }],
            },
          },
        ]);
    });

    it('releases racks in the order named, each by slot, or every rack by name', () => {
      const byRacks = spec
        .given(history)
        .when(powerOff({ racks: ['C01', 'B01'] }))
        .thenReturns();
      expect(byRacks).toHaveLength(1);
      expect(byRacks[0].data).toMatchObject({ rigs: [rig(4, 'C01'), rig(2, 'B01'), rig(3, 'B01')] });
      const all = spec
        .given(history)
        .when(powerOff({ all: true }))
        .thenReturns();
      expect(all[0].data).toMatchObject({ rigs: [rig(1), rig(2, 'B01'), rig(3, 'B01'), rig(4, 'C01')] });
    });

    it('releases a rig gone to repair with that reason, and says nothing of a rig that was not on', () => {
      spec
        .given(history)
        .when(powerOff({ rigIds: [rigId(4)] }, 'rig-in-repair'))
        .then([
          {
            type: 'PowerReleased',
            data: {
              facilityId,
              requestId,
              part: 1,
              parts: 1,
              reason: 'rig-in-repair',
              rigs: [rig(4, 'C01')],
            },
          },
        ]);
      spec
        .given(history)
        .when(powerOff({ rigIds: [rigId(9)] }, 'rig-decommissioned'))
        .then([]);
    });

    it('frees the rack and the facility for the next power-on', () => {
      const full = [scheduled(2205), budget('A01', 2100), allocated([rig(1)])];
      const released = facilityDecider.decide(
        powerOff({ rigIds: [rigId(1)] }),
        replay(facilityDecider, full),
      );
      spec
        .given([...full, ...released])
        .when(powerOn([installed(rig(2))]))
        .then([allocated([rig(2)])]);
    });
  });

  describe('its state', () => {
    const manyRigs = Array.from({ length: 2500 }, (_, index) => rig(index + 1, `R${index % 50}`));
    const history: PowerEvent[] = [
      scheduled(30_000_000),
      budget('R1', 200_000),
      allocated(manyRigs.slice(0, 1000)),
      allocated(manyRigs.slice(1000)),
      {
        type: 'PowerReleased',
        data: { facilityId, requestId, part: 1, parts: 1, reason: 'requested', rigs: manyRigs.slice(0, 10) },
      },
    ];

    it('sums allocations per rack and facility, and folds like evolve', () => {
      const state = replay(facilityDecider, history);
      expect(state.allocations.size).toBe(2490);
      expect(state.itWatts).toBe(2490 * 2100);
      expect(state.rackAllocatedWatts.get('R1')).toBe(49 * 2100);
      expect(foldFacility(history)).toEqual(state);
    });

    it('survives its snapshot', () => {
      const state: FacilityState = replay(facilityDecider, history);
      const stored: unknown = JSON.parse(JSON.stringify(facilitySnapshots.toSnapshot?.(state)));
      expect(facilitySnapshots.fromSnapshot?.(stored)).toEqual(state);
    });
  });
});
