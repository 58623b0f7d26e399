import { z } from 'zod';

/** Facility ids travel in NATS subjects, so they must be a single subject token. */
export const FacilityId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'lower-case letters, digits and dashes, at most 63, starting with a letter or digit',
  );
export type FacilityId = z.infer<typeof FacilityId>;

export const Uuid = z.uuid();

/** Fiat amounts are decimal strings, never floats: "12999.99". */
export const DecimalString = z
  .string()
  .regex(/^(0|[1-9]\d{0,17})(\.\d{1,8})?$/, 'a non-negative decimal number as a string, e.g. "3499.00"');

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');

export const Money = z.object({ amount: DecimalString, currency: CurrencyCode });
export type Money = z.infer<typeof Money>;

export const SerialNumber = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits, dots, dashes, underscores and slashes');

export const MacAddress = z
  .string()
  .regex(/^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/, 'six hexadecimal pairs, e.g. 00:1A:2B:3C:4D:5E');

/** An instant on the wire: ISO-8601 with a time zone. */
export const Instant = z.iso.datetime({ offset: true });

/** A calendar date: YYYY-MM-DD. */
export const CalendarDate = z.iso.date();

export const Quantity = z.number().int().positive().max(1_000_000);
