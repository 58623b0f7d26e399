import { z } from 'zod';
import { CalendarDate, FacilityId, Instant } from '../common';
import { defineEvent, type EventOf } from '../event-definition';
import { MAX_PRICE_INTERVALS, PriceInterval } from './energy-prices-posted';

/** kWh as a non-negative decimal string with up to 6 decimals: a meter's figure, never a float. */
export const KwhString = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})(\.\d{1,6})?$/, 'kWh as a decimal string, e.g. "525.25"');

/** USD per kWh as a non-negative decimal string with up to 6 decimals. */
export const UsdPerKwh = z
  .string()
  .regex(/^(0|[1-9]\d{0,5})(\.\d{1,6})?$/, 'USD per kWh as a decimal string, e.g. "0.045"');

/** A meter's name as the utility or the site's metering system spells it. */
export const MeterId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits and . _ : - (at most 64)');

/** Meter intervals: 5, 15, 30 or 60 minutes, like the market's. */
export const METER_INTERVAL_MINUTES = [5, 15, 30, 60] as const;

const wholeMinute = (instant: string) => Date.parse(instant) % 60_000 === 0;

export const MeterReading = z.object({
  meterId: MeterId,
  /** The interval's start, on a whole minute. */
  intervalStart: Instant.refine(wholeMinute, 'on a whole minute'),
  intervalMinutes: z.union(METER_INTERVAL_MINUTES.map((minutes) => z.literal(minutes))),
  kwh: KwhString,
});
export type MeterReading = z.infer<typeof MeterReading>;

/** At most this many readings a request (and an event): a month of 15-minute intervals of one meter. */
export const MAX_METER_READINGS = 3000;

/**
 * Meter readings recorded for a facility. Idempotent per meter and interval: a reading already
 * recorded with the same figure is not recorded again; one with another figure is recorded with
 * `replacesKwh`, the figure it replaces (a corrected reading).
 */
export const MeterReadingsRecorded = defineEvent(
  'power',
  'MeterReadingsRecorded',
  1,
  z.object({
    facilityId: FacilityId,
    readings: z
      .array(MeterReading.extend({ replacesKwh: KwhString.optional() }))
      .min(1)
      .max(MAX_METER_READINGS),
  }),
);
export type MeterReadingsRecorded = EventOf<typeof MeterReadingsRecorded>;

/** How a facility's energy is priced: a fixed price per kWh, or the posted market prices per interval. */
const FixedTariff = z.strictObject({ type: z.literal('fixed'), usdPerKwh: UsdPerKwh });
const MarketTariff = z.strictObject({ type: z.literal('market') });
export const Tariff = z.discriminatedUnion('type', [FixedTariff, MarketTariff]);
export type Tariff = z.infer<typeof Tariff>;

export const TariffSet = defineEvent(
  'power',
  'TariffSet',
  1,
  z.object({
    facilityId: FacilityId,
    tariff: Tariff,
    /**
     * From when the tariff prices energy, until the next tariff's `effectiveFrom`; the first
     * tariff also prices what ran before it. Days already published that it changes are
     * published again.
     */
    effectiveFrom: Instant,
  }),
);
export type TariffSet = EventOf<typeof TariffSet>;

/** `POST /facilities/:facilityId/meter-readings`: one figure per meter and interval. */
export const PostMeterReadingsRequest = z.object({
  readings: z
    .array(MeterReading)
    .min(1)
    .max(MAX_METER_READINGS)
    .refine(
      (readings) =>
        new Set(readings.map((reading) => `${reading.meterId} ${Date.parse(reading.intervalStart)}`)).size ===
        readings.length,
      { message: 'one reading per meter and interval start' },
    ),
});
export type PostMeterReadingsRequest = z.infer<typeof PostMeterReadingsRequest>;

/** When a tariff takes effect: a date (midnight UTC) or an instant; default the request's time. */
const TariffEffectiveFrom = z.union([CalendarDate, Instant]).optional();

/** `PUT /facilities/:facilityId/tariff`: a tariff, and optionally from when it applies. */
export const PutTariffRequest = z.discriminatedUnion('type', [
  FixedTariff.extend({ effectiveFrom: TariffEffectiveFrom }),
  MarketTariff.extend({ effectiveFrom: TariffEffectiveFrom }),
]);
export type PutTariffRequest = z.infer<typeof PutTariffRequest>;

/** `POST /facilities/:facilityId/energy-prices`: one price per interval start. */
export const PostEnergyPricesRequest = z.object({
  intervals: z
    .array(PriceInterval.extend({ start: Instant.refine(wholeMinute, 'on a whole minute') }))
    .min(1)
    .max(MAX_PRICE_INTERVALS)
    .refine(
      (intervals) =>
        new Set(intervals.map((interval) => Date.parse(interval.start))).size === intervals.length,
      { message: 'one price per interval start' },
    ),
});
export type PostEnergyPricesRequest = z.infer<typeof PostEnergyPricesRequest>;
