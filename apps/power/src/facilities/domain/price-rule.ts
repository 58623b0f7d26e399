import { createHash } from 'node:crypto';
import type { Curtail } from './facility.commands';
import type { FacilityState, PriceRule } from './facility.state';

/** A posted energy price for one interval, as power keeps it (instants normalised, `toISOString`). */
export interface IntervalPrice {
  readonly startsAt: string;
  readonly endsAt: string;
  readonly usdPerMwh: string;
}

/** What the price rule wants done about a facility's curtailments: new ones, and its own it no longer wants. */
export interface PriceRulePlan {
  readonly curtail: readonly Curtail[];
  readonly end: readonly string[];
}

/**
 * Brings the price rule's curtailments in line with the rule and the prices of the intervals not
 * over yet: each interval priced above the strike has one curtailment to the rule's target for
 * exactly that interval, and a price-rule curtailment no interval calls for any more (its price
 * fell, the rule changed or went) is ended. Ids are derived from the interval and the target, so
 * prices posted again change nothing, and one an operator ended early is not scheduled again.
 */
export function planPriceRule(
  state: FacilityState,
  facilityId: string,
  prices: readonly IntervalPrice[],
  now: Date,
): PriceRulePlan {
  const wanted = new Map<string, Curtail>();
  const rule = state.priceRule;
  if (rule)
    for (const price of prices)
      if (Date.parse(price.endsAt) > now.getTime() && isAboveStrike(price.usdPerMwh, rule.strikeUsdPerMwh)) {
        const command = curtailFor(facilityId, rule, price, now);
        wanted.set(command.data.curtailmentId, command);
      }
  const curtail = [...wanted.values()].filter(
    ({ data }) =>
      !state.curtailments.has(data.curtailmentId) && !state.endedCurtailments.has(data.curtailmentId),
  );
  const end = [...state.curtailments.values()]
    .filter((curtailment) => curtailment.trigger === 'price-rule' && !wanted.has(curtailment.id))
    .map((curtailment) => curtailment.id);
  return { curtail, end };
}

function curtailFor(facilityId: string, rule: PriceRule, price: IntervalPrice, now: Date): Curtail {
  return {
    type: 'Curtail',
    data: {
      facilityId,
      curtailmentId: priceCurtailmentId(facilityId, price, rule.curtailToWatts),
      trigger: 'price-rule',
      reduceByWatts: null,
      targetLoadWatts: rule.curtailToWatts,
      startsAt: price.startsAt,
      endsAt: price.endsAt,
      reason: `energy price ${price.usdPerMwh} USD/MWh above the strike of ${rule.strikeUsdPerMwh}`,
      protectedRigIds: [],
      modelOrder: [],
      at: now.toISOString(),
    },
  };
}

/** A name-based id (RFC 9562 version 5 layout, SHA-256 truncated) of an interval's curtailment to a target. */
export function priceCurtailmentId(facilityId: string, price: IntervalPrice, curtailToWatts: number): string {
  const hex = createHash('sha256')
    .update(`price-rule|${facilityId}|${price.startsAt}|${price.endsAt}|${curtailToWatts}`)
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Strictly above: a price equal to the strike is not curtailed. Exact, in millionths of a dollar. */
export function isAboveStrike(usdPerMwh: string, strikeUsdPerMwh: string): boolean {
  return micros(usdPerMwh) > micros(strikeUsdPerMwh);
}

function micros(decimal: string): bigint {
  const negative = decimal.startsWith('-');
  const [whole, fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const value = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  return negative ? -value : value;
}
