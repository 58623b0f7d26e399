import type { PowerEvent } from '@fleet/contracts';
import { replay } from '@fleet/event-sourcing';
import { facilityDecider } from './facility.decider';
import { isAboveStrike, planPriceRule, priceCurtailmentId, type IntervalPrice } from './price-rule';

const facilityId = 'us-tx-01';
const now = new Date('2026-11-29T12:05:00.000Z');

const interval = (start: string, usdPerMwh: string): IntervalPrice => ({
  startsAt: `2026-11-29T${start}:00.000Z`,
  endsAt: new Date(Date.parse(`2026-11-29T${start}:00.000Z`) + 15 * 60_000).toISOString(),
  usdPerMwh,
});
const capacity: PowerEvent = {
  type: 'FacilityCapacityScheduled',
  data: {
    facilityId,
    schedule: [{ effectiveFrom: '2026-10-01', capacityWatts: 3_000_000 }],
    reserveWatts: 0,
    pueMilli: 1050,
  },
};
const rule = (strikeUsdPerMwh: string, curtailToWatts: number): PowerEvent => ({
  type: 'PriceRuleSet',
  data: { facilityId, strikeUsdPerMwh, curtailToWatts },
});

describe('the price rule', () => {
  const prices = [
    interval('11:45', '300'), // over already
    interval('12:00', '130.5'), // under way: curtailed from its start, started at once
    interval('12:15', '120'), // at the strike: not curtailed
    interval('12:30', '-5'),
    interval('12:45', '120.000001'),
  ];

  it('curtails every interval not over yet priced strictly above the strike, for exactly that interval', () => {
    const state = replay(facilityDecider, [capacity, rule('120', 500_000)]);
    const { curtail, end } = planPriceRule(state, facilityId, prices, now);
    expect(end).toEqual([]);
    expect(
      curtail.map(({ data }) => [data.startsAt, data.endsAt, data.targetLoadWatts, data.trigger]),
    ).toEqual([
      ['2026-11-29T12:00:00.000Z', '2026-11-29T12:15:00.000Z', 500_000, 'price-rule'],
      ['2026-11-29T12:45:00.000Z', '2026-11-29T13:00:00.000Z', 500_000, 'price-rule'],
    ]);
    expect(curtail[0].data.curtailmentId).toBe(priceCurtailmentId(facilityId, prices[1], 500_000));
  });

  it('changes nothing when the same prices come again', () => {
    const state = replay(facilityDecider, [capacity, rule('120', 500_000)]);
    const first = planPriceRule(state, facilityId, prices, now).curtail.flatMap((command) =>
      facilityDecider.decide({ ...command }, state),
    );
    const after = replay(facilityDecider, [capacity, rule('120', 500_000), ...first]);
    expect(planPriceRule(after, facilityId, prices, now)).toEqual({ curtail: [], end: [] });
  });

  it('ends its curtailments a new rule no longer calls for, and schedules those it does', () => {
    const state = replay(facilityDecider, [capacity, rule('120', 500_000)]);
    const first = planPriceRule(state, facilityId, prices, now).curtail.flatMap((command) =>
      facilityDecider.decide(command, state),
    );
    // A higher strike keeps only 12:00 (130.5); the same target keeps its id.
    const raised = replay(facilityDecider, [capacity, rule('120', 500_000), ...first, rule('125', 500_000)]);
    expect(planPriceRule(raised, facilityId, prices, now)).toEqual({
      curtail: [],
      end: [priceCurtailmentId(facilityId, prices[4], 500_000)],
    });
    // A new target: the old ones end, new ones to the new target replace them.
    const retargeted = replay(facilityDecider, [
      capacity,
      rule('120', 500_000),
      ...first,
      rule('120', 400_000),
    ]);
    const plan = planPriceRule(retargeted, facilityId, prices, now);
    expect(plan.end).toHaveLength(2);
    expect(plan.curtail.map(({ data }) => data.targetLoadWatts)).toEqual([400_000, 400_000]);
  });

  it('schedules nothing without a rule', () => {
    const state = replay(facilityDecider, [capacity]);
    expect(planPriceRule(state, facilityId, prices, now)).toEqual({ curtail: [], end: [] });
  });

  it('compares decimal prices exactly', () => {
    expect(isAboveStrike('120.000001', '120')).toBe(true);
    expect(isAboveStrike('120.0', '120')).toBe(false);
    expect(isAboveStrike('-1', '-1.5')).toBe(true);
    expect(isAboveStrike('-2', '-1.5')).toBe(false);
    expect(isAboveStrike('99.99', '100')).toBe(false);
  });
});
