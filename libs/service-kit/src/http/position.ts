import { z } from 'zod';

/** The largest value of a PostgreSQL `bigint`, which positions and sequence numbers are stored as. */
export const MAX_POSITION = 2n ** 63n - 1n;

const MESSAGE = 'a position: a non-negative whole number no larger than 9223372036854775807';

/**
 * A position (or any other `bigint` column value) given as a decimal string, e.g. in a query or a
 * cursor. Checked against the column's range here, because PostgreSQL refuses an out-of-range bigint
 * with an error that would otherwise surface as a 500.
 */
export const PositionString = z
  .string()
  // `abort`: in zod 4 a refinement still runs after a failed check, and `BigInt('abc')` throws.
  .regex(/^\d{1,19}$/, { message: MESSAGE, abort: true })
  .refine((text) => BigInt(text) <= MAX_POSITION, MESSAGE);
