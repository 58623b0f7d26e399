import { z } from 'zod';
import { CalendarDate, FacilityId, Uuid } from '../common';
import { defineEvent, type EventOf } from '../event-definition';

/** A non-negative decimal string with up to 6 decimals (kWh from a meter or an estimate). */
const Kwh = z.string().regex(/^(0|[1-9]\d{0,14})(\.\d{1,6})?$/, 'kWh as a decimal string, e.g. "68880.5"');
/** USD as a decimal string; energy bills may carry tenths of a cent, revenue rounds to the cent. */
const Usd = z.string().regex(/^(0|[1-9]\d{0,14})(\.\d{1,6})?$/, 'USD as a decimal string, e.g. "4821.60"');

export const ENERGY_COST_BASES = ['measured', 'estimated'] as const;
export const EnergyCostBasis = z.enum(ENERGY_COST_BASES);
export type EnergyCostBasis = z.infer<typeof EnergyCostBasis>;

/**
 * The energy one facility drew on one (UTC) day and what it cost. Published once a day is over
 * (usually `estimated`) and again whenever the figure changes (the meter reading arrives, a reading
 * is corrected): each publication of a facility's day has a higher `revision` and replaces the
 * earlier figure as a whole, and names the event it corrects. Consumers keep the highest revision
 * and ignore lower ones, so order of delivery does not matter.
 */
export const EnergyCostAccrued = defineEvent(
  'power',
  'EnergyCostAccrued',
  1,
  z.object({
    facilityId: FacilityId,
    day: CalendarDate,
    kwh: Kwh,
    usd: Usd,
    basis: EnergyCostBasis,
    /** 1 for the first figure of the day, then 2, 3… for each correction. */
    revision: z.number().int().positive(),
    /** The event this one replaces (absent on revision 1). */
    correctsEventId: Uuid.optional(),
  }),
);
export type EnergyCostAccrued = EventOf<typeof EnergyCostAccrued>;
