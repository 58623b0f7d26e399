import { DomainError } from '@fleet/event-sourcing';
import type { z } from 'zod';

/** One page of a list; pass `nextCursor` as `cursor` to get the next one (null: the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** An opaque cursor: the position to resume after, as base64url JSON. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Reads a cursor `encodeCursor` made. Anything else (edited, truncated, or of another shape when
 * `schema` is given) is a 400 problem, never a 500.
 */
export function decodeCursor<T = unknown>(text: string, schema?: z.ZodType<T>): T {
  const invalid = () => new DomainError('invalid', 'invalid-cursor', 'the cursor is not one this API issued');
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!schema) return value as T;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
