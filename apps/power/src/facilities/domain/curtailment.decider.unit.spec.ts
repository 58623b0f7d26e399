import type { CurtailedRig, PowerEvent } from '@fleet/contracts';
import { replay } from '@fleet/event-sourcing';
import { deciderSpec } from '@fleet/event-sourcing/testing';
import type { Curtail, EndCurtailment, PowerOn, RigPlacement } from './facility.commands';
import { facilityDecider, facilitySnapshots } from './facility.decider';
import { foldFacility, type FacilityState } from './facility.state';

const spec = deciderSpec(facilityDecider);

const facilityId = 'us-tx-01';
const requestId = '33333333-3333-4333-8333-333333333333';
const curtailmentId = '44444444-4444-4444-8444-444444444444';
const otherCurtailmentId = '55555555-5555-4555-8555-555555555555';
const now = '2026-11-29T12:00:00.000Z';
const later = '2026-11-29T13:00:00.000Z';
const end = '2026-11-29T14:00:00.000Z';

/** Catalogue figures: S9 98 W/TH (the least efficient SHA-256 model), 8 Nano 48 W/TH, S21 17.5 W/TH. */
const S9 = { model: 'bitmain-antminer-s9', itWatts: 1323 };
const NANO = { model: 'asicminer-8-nano', itWatts: 2100 };
const S21 = { model: 'bitmain-antminer-s21', itWatts: 3500 };
/** Equihash: the A9 ZMaster (11 W/kSol) is its least efficient, the Z15 Pro (3.3 W/kSol) its best. */
const A9 = { model: 'innosilicon-a9-zmaster', itWatts: 1550 };

const rigId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rig = (n: number, kind: { model: string; itWatts: number }, rack = 'A01'): CurtailedRig => ({
  rigId: rigId(n),
  rack,
  slot: n,
  ...kind,
});
const placementOf = ({ rack, slot, model, itWatts }: CurtailedRig): RigPlacement => ({
  rack,
  slot,
  model,
  itWatts,
});

/** PUE 1: facility load = IT load, so the figures read directly. */
const scheduled = (capacityWatts: number): PowerEvent => ({
  type: 'FacilityCapacityScheduled',
  data: {
    facilityId,
    schedule: [{ effectiveFrom: '2026-10-01', capacityWatts }],
    reserveWatts: 0,
    pueMilli: 1000,
  },
});
const allocated = (rigs: CurtailedRig[]): PowerEvent => ({
  type: 'PowerAllocated',
  data: { facilityId, requestId, part: 1, parts: 1, rigs },
});

const curtail = (
  target: { reduceByWatts: number } | { targetLoadWatts: number },
  options: Partial<Curtail['data']> = {},
): Curtail => ({
  type: 'Curtail',
  data: {
    facilityId,
    curtailmentId,
    trigger: 'manual',
    reduceByWatts: 'reduceByWatts' in target ? target.reduceByWatts : null,
    targetLoadWatts: 'targetLoadWatts' in target ? target.targetLoadWatts : null,
    startsAt: now,
    endsAt: end,
    reason: 'grid event',
    protectedRigIds: [],
    modelOrder: [],
    at: now,
    ...options,
  },
});
const scheduledEvent = ({ data }: Curtail): PowerEvent => {
  const { at: _at, ...rest } = data;
  return {
    type: 'CurtailmentScheduled',
    data: { ...rest, protectedRigIds: [...rest.protectedRigIds], modelOrder: [...rest.modelOrder] },
  };
};
const rigsCurtailed = (targetLoadWatts: number, rigs: CurtailedRig[], id = curtailmentId): PowerEvent => ({
  type: 'RigsCurtailed',
  data: { facilityId, curtailmentId: id, part: 1, parts: 1, targetLoadWatts, rigs },
});
const endCurtailment = (
  rigs: readonly CurtailedRig[],
  options: { id?: string; gone?: readonly string[]; at?: string } = {},
): EndCurtailment => ({
  type: 'EndCurtailment',
  data: {
    facilityId,
    curtailmentId: options.id ?? curtailmentId,
    ending: 'scheduled',
    at: options.at ?? end,
    placements: new Map(
      rigs.map((shed) => [shed.rigId, options.gone?.includes(shed.rigId) ? null : placementOf(shed)]),
    ),
  },
});
const powerOn = (rigs: CurtailedRig[]): PowerOn => ({
  type: 'PowerOn',
  data: {
    facilityId,
    requestId,
    at: now,
    rigs: rigs.map((shed) => ({ rigId: shed.rigId, placement: placementOf(shed) })),
  },
});

describe('curtailment by the facility decider', () => {
  // 2 S21 (7,000 W), 2 Nano (4,200 W), 2 S9 (2,646 W), 1 A9 (1,550 W): 15,396 W.
  const s21s = [rig(1, S21), rig(2, S21)];
  const nanos = [rig(3, NANO), rig(4, NANO)];
  const s9s = [rig(5, S9), rig(6, S9)];
  const a9 = rig(7, A9);
  const all = [...s21s, ...nanos, ...s9s, a9];
  const history = [scheduled(20_000), allocated(all)];

  describe('choosing the rigs', () => {
    it('sheds the least efficient of each algorithm first, until the load is at the target', () => {
      // Both least efficient of their algorithm, the A9 draws more: it goes first, then an S9.
      const command = curtail({ targetLoadWatts: 13_000 });
      spec
        .given(history)
        .when(command)
        .then([scheduledEvent(command), rigsCurtailed(13_000, [a9, s9s[0]])]);
    });

    it('sheds by efficiency rank across algorithms: each least efficient, then the next', () => {
      const shed = spec
        .given(history)
        .when(curtail({ targetLoadWatts: 8000 }))
        .thenReturns();
      // Rank 0 (A9, S9s; one model's rigs by rack and slot), then rank 1 (the Nanos); the S21s stay.
      expect(shed[1].data).toMatchObject({ rigs: [a9, s9s[0], s9s[1], nanos[0], nanos[1]] });
    });

    it('lowers the load by reduceByWatts from what it is at the start', () => {
      const command = curtail({ reduceByWatts: 2000 });
      spec
        .given(history)
        .when(command)
        .then([scheduledEvent(command), rigsCurtailed(13_396, [a9, s9s[0]])]);
    });

    it('never sheds a protected rig, even when the target is then not reached', () => {
      const shed = spec
        .given(history)
        .when(curtail({ targetLoadWatts: 0 }, { protectedRigIds: [s21s[0].rigId, a9.rigId] }))
        .thenReturns();
      const rigs = (shed[1].data as { rigs: CurtailedRig[] }).rigs.map((shedRig) => shedRig.rigId);
      expect(rigs).toHaveLength(5);
      expect(rigs).not.toContain(s21s[0].rigId);
      expect(rigs).not.toContain(a9.rigId);
    });

    it('sheds the models of modelOrder first, in its order', () => {
      const shed = spec
        .given(history)
        .when(curtail({ reduceByWatts: 7000 }, { modelOrder: [S21.model] }))
        .thenReturns();
      expect(shed[1].data).toMatchObject({ rigs: s21s });
    });

    it('sheds nothing when the load is at the target already, and still starts', () => {
      const command = curtail({ targetLoadWatts: 20_000 });
      spec
        .given(history)
        .when(command)
        .then([scheduledEvent(command), rigsCurtailed(20_000, [])]);
    });

    it('cuts the rigs shed into parts of at most 1,000', () => {
      const many = Array.from({ length: 2500 }, (_, index) => rig(100 + index, NANO, `R${index % 50}`));
      const events = spec
        .given([scheduled(10_000_000), allocated(many.slice(0, 1000)), allocated(many.slice(1000))])
        .when(curtail({ targetLoadWatts: 0 }))
        .thenReturns();
      expect(
        events.slice(1).map((event) => [event.type, (event.data as { rigs: unknown[] }).rigs.length]),
      ).toEqual([
        ['RigsCurtailed', 1000],
        ['RigsCurtailed', 1000],
        ['RigsCurtailed', 500],
      ]);
    });

    it('a known curtailment id appends nothing (the price rule may schedule an interval again)', () => {
      const command = curtail({ targetLoadWatts: 13_000 });
      const first = facilityDecider.decide(command, replay(facilityDecider, history));
      spec
        .given([...history, ...first])
        .when(command)
        .then([]);
    });

    it('refuses a curtailment that would be over already', () => {
      spec
        .given(history)
        .when(curtail({ targetLoadWatts: 0 }, { endsAt: now }))
        .thenThrows('invalid', 'curtailment-over');
    });

    it('refuses a facility without events, a price rule as well', () => {
      spec
        .given([])
        .when(curtail({ targetLoadWatts: 0 }))
        .thenThrows('not_found', 'facility-not-found');
      spec
        .given([])
        .when({ type: 'SetPriceRule', data: { facilityId, strikeUsdPerMwh: '120', curtailToWatts: 0 } })
        .thenThrows('not_found', 'facility-not-found');
    });
  });

  describe('its schedule', () => {
    const future = curtail({ targetLoadWatts: 13_000 }, { startsAt: later });

    it('only schedules a curtailment that starts later, and starts it once at its time', () => {
      spec
        .given(history)
        .when(future)
        .then([scheduledEvent(future)]);
      const start = { type: 'StartCurtailment', data: { facilityId, curtailmentId, at: later } } as const;
      spec
        .given([...history, scheduledEvent(future)])
        .when(start)
        .then([rigsCurtailed(13_000, [a9, s9s[0]])]);
      spec
        .given([...history, scheduledEvent(future), rigsCurtailed(13_000, [a9, s9s[0]])])
        .when(start)
        .then([]);
    });

    it('ends a curtailment that never started with nothing to restore, and it never starts', () => {
      const ended: PowerEvent = {
        type: 'CurtailmentEnded',
        data: {
          facilityId,
          curtailmentId,
          part: 1,
          parts: 1,
          ending: 'scheduled',
          restored: [],
          notRestored: [],
          handedOverTo: null,
          handedOver: [],
        },
      };
      spec
        .given([...history, scheduledEvent(future)])
        .when(endCurtailment([]))
        .then([ended]);
      spec
        .given([...history, scheduledEvent(future), ended])
        .when({ type: 'StartCurtailment', data: { facilityId, curtailmentId, at: later } })
        .then([]);
    });
  });

  describe('while active', () => {
    const command = curtail({ targetLoadWatts: 13_000 });
    const active = [...history, scheduledEvent(command), rigsCurtailed(13_000, [a9, s9s[0]])];

    it('refuses to power a rig it shed, or one that would raise the load above its target', () => {
      // 15,396 − 2,873 = 12,523 W: an S9 (1,323 W) would pass 13,000.
      const newS9 = rig(8, S9);
      spec
        .given(active)
        .when(powerOn([s9s[0], newS9]))
        .then([
          {
            type: 'PowerRequestRejected',
            data: {
              facilityId,
              requestId,
              part: 1,
              parts: 1,
              request: 'power-on',
              rejected: [
                { rigId: s9s[0].rigId, reason: 'curtailment-active' },
                { rigId: newS9.rigId, reason: 'curtailment-active' },
              ],
            },
          },
        ]);
    });

    it('powers a rig that keeps the load within its target', () => {
      const small = { ...rig(9, S9), itWatts: 400 };
      spec
        .given(active)
        .when(powerOn([small]))
        .then([allocated([small])]);
    });

    it('counts the rigs curtailed apart from those on', () => {
      const state = replay(facilityDecider, active);
      expect(state.curtailed.size).toBe(2);
      expect(state.allocations.size).toBe(5);
      expect(state.itWatts).toBe(12_523);
    });
  });

  describe('its end', () => {
    const command = curtail({ targetLoadWatts: 10_000 });
    const shed = [a9, s9s[0], s9s[1], nanos[0]];
    const active = [...history, scheduledEvent(command), rigsCurtailed(10_000, shed)];

    it('restores the rigs it shed, the last shed first, and reports those no longer installed', () => {
      spec
        .given(active)
        .when(endCurtailment(shed, { gone: [a9.rigId] }))
        .then([
          {
            type: 'CurtailmentEnded',
            data: {
              facilityId,
              curtailmentId,
              part: 1,
              parts: 1,
              ending: 'scheduled',
              restored: [nanos[0], s9s[1], s9s[0]],
              notRestored: [{ rigId: a9.rigId, reason: 'not-installed' }],
              handedOverTo: null,
              handedOver: [],
            },
          },
        ]);
    });

    it('restores only within the capacity in force and the rack budgets', () => {
      // Capacity cut to 12,000 W meanwhile: 9,100 W on; the Nano fits (11,200), then nothing more.
      const cut = [...active, scheduled(12_000)];
      const events = spec.given(cut).when(endCurtailment(shed)).thenReturns();
      expect(events[0].data).toMatchObject({
        restored: [nanos[0]],
        notRestored: [
          { rigId: s9s[1].rigId, reason: 'facility-capacity' },
          { rigId: s9s[0].rigId, reason: 'facility-capacity' },
          { rigId: a9.rigId, reason: 'facility-capacity' },
        ],
      });
      const budgeted = [
        ...active,
        { type: 'RackBudgetSet', data: { facilityId, rack: 'A01', budgetWatts: 11_500 } } as const,
      ];
      const byRack = spec.given(budgeted).when(endCurtailment(shed)).thenReturns();
      expect(byRack[0].data).toMatchObject({
        restored: [nanos[0]],
        notRestored: [
          { rigId: s9s[1].rigId, reason: 'rack-budget' },
          { rigId: s9s[0].rigId, reason: 'rack-budget' },
          { rigId: a9.rigId, reason: 'rack-budget' },
        ],
      });
    });

    it('makes its rigs powerable again and frees the facility of its target', () => {
      const ended = facilityDecider.decide(endCurtailment(shed), replay(facilityDecider, active));
      const state = replay(facilityDecider, [...active, ...ended]);
      expect(state.curtailed.size).toBe(0);
      expect(state.curtailments.size).toBe(0);
      expect(state.itWatts).toBe(15_396);
    });

    it('a second end appends nothing; an unknown curtailment is not found', () => {
      const ended = facilityDecider.decide(endCurtailment(shed), replay(facilityDecider, active));
      spec
        .given([...active, ...ended])
        .when(endCurtailment(shed))
        .then([]);
      spec.given(history).when(endCurtailment([])).thenThrows('not_found', 'curtailment-not-found');
    });

    it('overlapping: the lowest target binds; what it keeps off passes to it and returns when it ends', () => {
      // A second curtailment to 11,000 W starts while the first holds 10,000 W: it sheds nothing more.
      const second = curtail({ targetLoadWatts: 11_000 }, { curtailmentId: otherCurtailmentId });
      const both = [...active, scheduledEvent(second), rigsCurtailed(11_000, [], otherCurtailmentId)];
      expect(facilityDecider.decide(second, replay(facilityDecider, active))).toEqual([
        scheduledEvent(second),
        rigsCurtailed(11_000, [], otherCurtailmentId),
      ]);
      // The first ends: 9,100 W on, only what keeps the load within 11,000 W comes back.
      const firstEnds = spec.given(both).when(endCurtailment(shed)).thenReturns();
      expect(firstEnds[0].data).toMatchObject({
        restored: [s9s[1]],
        notRestored: [],
        handedOverTo: otherCurtailmentId,
        handedOver: [nanos[0], s9s[0], a9],
      });
      const afterFirst = replay(facilityDecider, [...both, ...firstEnds]);
      expect([...afterFirst.curtailed.values()].map((rig) => rig.curtailmentId)).toEqual([
        otherCurtailmentId,
        otherCurtailmentId,
        otherCurtailmentId,
      ]);
      // The second ends: the rigs it took over come back.
      const secondEnds = spec
        .given([...both, ...firstEnds])
        .when(endCurtailment([a9, s9s[0], nanos[0]], { id: otherCurtailmentId }))
        .thenReturns();
      expect(secondEnds[0].data).toMatchObject({
        restored: [nanos[0], s9s[0], a9],
        notRestored: [],
        handedOverTo: null,
      });
      expect(replay(facilityDecider, [...both, ...firstEnds, ...secondEnds]).itWatts).toBe(15_396);
    });
  });

  describe('its state', () => {
    const command = curtail({ targetLoadWatts: 13_000 }, { startsAt: now });
    const history_: PowerEvent[] = [
      ...history,
      scheduledEvent(command),
      rigsCurtailed(13_000, [a9, s9s[0]]),
      scheduledEvent(curtail({ targetLoadWatts: 0 }, { curtailmentId: otherCurtailmentId, startsAt: later })),
      { type: 'PriceRuleSet', data: { facilityId, strikeUsdPerMwh: '120', curtailToWatts: 500 } },
    ];

    it('folds like evolve and survives its snapshot', () => {
      const state: FacilityState = replay(facilityDecider, history_);
      expect(foldFacility(history_)).toEqual(state);
      const stored: unknown = JSON.parse(JSON.stringify(facilitySnapshots.toSnapshot?.(state)));
      expect(facilitySnapshots.fromSnapshot?.(stored)).toEqual(state);
    });
  });
});
