import { z } from 'zod';
import { FacilityId, Instant } from '../common';
import { defineEvent, type EventOf } from '../event-definition';

/** An energy price in USD per MWh as a decimal string (prices may be negative when power is in surplus). */
export const UsdPerMwh = z
  .string()
  .regex(/^-?(0|[1-9]\d{0,9})(\.\d{1,6})?$/, 'USD per MWh as a decimal string, e.g. "87.50"');

/** The market's interval lengths: 5, 15, 30 or 60 minutes. */
export const PRICE_INTERVAL_MINUTES = [5, 15, 30, 60] as const;

export const PriceInterval = z.object({
  /** The interval's start, on a whole minute. */
  start: Instant,
  minutes: z.union(PRICE_INTERVAL_MINUTES.map((minutes) => z.literal(minutes))),
  usdPerMwh: UsdPerMwh,
});
export type PriceInterval = z.infer<typeof PriceInterval>;

/** At most this many intervals a request (and an event): a month of 15-minute intervals. */
export const MAX_PRICE_INTERVALS = 3000;

/**
 * Energy prices posted for a facility's market (day-ahead or real-time). A later posting of the same
 * interval replaces its price. Power uses them for the `market` tariff's cost and for the price rule's
 * curtailments.
 */
export const EnergyPricesPosted = defineEvent(
  'power',
  'EnergyPricesPosted',
  1,
  z.object({
    facilityId: FacilityId,
    intervals: z.array(PriceInterval).min(1).max(MAX_PRICE_INTERVALS),
  }),
);
export type EnergyPricesPosted = EventOf<typeof EnergyPricesPosted>;
