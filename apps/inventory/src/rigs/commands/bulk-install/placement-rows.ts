import { MAX_PLACEMENTS_PER_REQUEST, Placement } from '@fleet/contracts';
import { DomainError } from '@fleet/event-sourcing';
import { z } from 'zod';
import type { RawPlacementRow, RowProblem } from './placement-row';

/** A row that passed validation, with the number the person who wrote it knows it by. */
export interface PlacementRow {
  readonly row: number;
  readonly placement: Placement;
}

/** At most the cap of placements, checked as the body is read (before a row is made of any). */
const JsonBody = z.object({ placements: z.array(z.unknown()).max(MAX_PLACEMENTS_PER_REQUEST) });

/** Rows of a JSON body `{ placements: [...] }`; the body's shape itself must hold. */
export function rowsOfJson(body: unknown): RawPlacementRow[] {
  const parsed = JsonBody.safeParse(body);
  if (!parsed.success) {
    const placements = (body as { placements?: unknown } | null)?.placements;
    if (Array.isArray(placements) && placements.length > MAX_PLACEMENTS_PER_REQUEST)
      throw tooManyPlacements(placements.length);
    throw new DomainError(
      'invalid',
      'bulk-install-body-invalid',
      'expected a JSON body { "placements": [...] } or a text/csv body',
    );
  }
  return parsed.data.placements.map((value, index) => ({ row: index + 1, value }));
}

export function assertRowCount(rows: readonly RawPlacementRow[]): void {
  if (rows.length === 0)
    throw new DomainError('invalid', 'bulk-install-empty', 'there are no placements to install');
  if (rows.length > MAX_PLACEMENTS_PER_REQUEST) throw tooManyPlacements(rows.length);
}

/**
 * More placements than one request may hold. `count` when it is known: a CSV is read only up to
 * the first row past the cap.
 */
export function tooManyPlacements(count?: number): DomainError {
  return new DomainError(
    'invalid',
    'bulk-install-too-many',
    `at most ${MAX_PLACEMENTS_PER_REQUEST} placements per request, ${count === undefined ? 'and this one has more' : `not ${count}`}: split the file`,
    { maxPlacements: MAX_PLACEMENTS_PER_REQUEST, ...(count === undefined ? {} : { placements: count }) },
  );
}

/** Each row against the placement schema: a valid placement, or a `malformed-row` problem saying what is wrong. */
export function validateRows(rows: readonly RawPlacementRow[]): {
  valid: PlacementRow[];
  problems: RowProblem[];
} {
  const valid: PlacementRow[] = [];
  const problems: RowProblem[] = [];
  for (const raw of rows) {
    if ('malformed' in raw) {
      problems.push({
        row: raw.row,
        serialNumber: raw.serialNumber ?? null,
        code: 'malformed-row',
        reason: raw.malformed,
      });
      continue;
    }
    const parsed = Placement.safeParse(raw.value);
    if (parsed.success) {
      valid.push({ row: raw.row, placement: parsed.data });
      continue;
    }
    const reason = parsed.error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    problems.push({ row: raw.row, serialNumber: serialOf(raw.value), code: 'malformed-row', reason });
  }
  return { valid, problems };
}

function serialOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('serialNumber' in value)) return null;
  const serial = (value as { serialNumber: unknown }).serialNumber;
  return typeof serial === 'string' && serial.length > 0 ? serial : null;
}
