import { DomainError } from '@fleet/event-sourcing';
import type { RowProblem, RowProblemCode } from './placement-row';

/** Problems in the request itself; the others depend on the registry's state (409). */
const INPUT_PROBLEMS: ReadonlySet<RowProblemCode> = new Set([
  'malformed-row',
  'serial-twice-in-file',
  'slot-twice-in-file',
]);
const NAMED_IN_MESSAGE = 5;

/**
 * Nothing was installed: every bad row, each with its number, serial and reason. A 400 when any
 * row is wrong as written, else a 409 (rigs unknown, in the wrong status, or slots taken).
 */
export class BulkInstallRejectedError extends DomainError {
  constructor(problems: readonly RowProblem[], totalRows: number) {
    const sorted = [...problems].sort((a, b) => a.row - b.row);
    const badRows = new Set(sorted.map((problem) => problem.row)).size;
    const named = sorted
      .slice(0, NAMED_IN_MESSAGE)
      .map(
        (problem) =>
          `row ${problem.row}${problem.serialNumber ? ` (${problem.serialNumber})` : ''}: ${problem.reason}`,
      );
    const more =
      sorted.length > NAMED_IN_MESSAGE ? `; and ${sorted.length - NAMED_IN_MESSAGE} more problems` : '';
    super(
      sorted.some((problem) => INPUT_PROBLEMS.has(problem.code)) ? 'invalid' : 'conflict',
      'bulk-install-rejected',
      `${badRows} of ${totalRows} rows cannot be installed, so none was: ${named.join('; ')}${more}`,
      { totalRows, badRows, rows: sorted },
    );
  }
}
