import { REPORT_NAMES, type ReportName } from './report-names';

/** What has been committed to the reports: the active generation and how far each consumer folded. */
export interface ReportsSnapshot {
  readonly generation: number;
  /** Per consumer, a mark that moves whenever it commits a fold (its stream sequence and event count). */
  readonly marks: ReadonlyMap<string, string>;
}

/**
 * The reports that may have changed between two snapshots: those fed by a consumer whose mark
 * moved, or every report when the generation changed (a rebuild swapped in new documents). In the
 * order of `REPORT_NAMES`.
 */
export function changedReports(
  before: ReportsSnapshot,
  after: ReportsSnapshot,
  reportsOf: ReadonlyMap<string, readonly ReportName[]>,
): ReportName[] {
  if (before.generation !== after.generation) return [...REPORT_NAMES];
  const changed = new Set<ReportName>();
  for (const [consumer, mark] of after.marks) {
    if (before.marks.get(consumer) === mark) continue;
    for (const report of reportsOf.get(consumer) ?? []) changed.add(report);
  }
  return REPORT_NAMES.filter((report) => changed.has(report));
}
