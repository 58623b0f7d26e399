/**
 * One placement as it came in, before validation. `row` is what a person looks for: the line in
 * the CSV file (the header is line 1, as in a spreadsheet) or the 1-based position in the JSON
 * `placements` array.
 */
export type RawPlacementRow =
  | { readonly row: number; readonly value: unknown }
  | { readonly row: number; readonly malformed: string; readonly serialNumber?: string };

/** Why a row cannot be installed; a row may have several. */
export type RowProblemCode =
  | 'malformed-row'
  | 'serial-twice-in-file'
  | 'slot-twice-in-file'
  | 'unknown-serial'
  | 'rig-status-forbids-install'
  | 'slot-taken';

export interface RowProblem {
  readonly row: number;
  readonly serialNumber: string | null;
  readonly code: RowProblemCode;
  readonly reason: string;
}
