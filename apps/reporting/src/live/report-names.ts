import { REPORT_SOURCES } from '../rebuild/report-sources';

/** The reports a page can ask for, by the last segment of their route (`/reports/<name>`). */
export const REPORT_NAMES = ['fleet', 'procurement', 'power', 'pnl'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/**
 * The report a document kind belongs to: kinds are named `<report>-<document>` (`fleet-rig`,
 * `power-load-hour`, `pnl-month`). Undefined for a kind of no served report.
 */
export function reportOfDocumentKind(kind: string): ReportName | undefined {
  return REPORT_NAMES.find((report) => kind === report || kind.startsWith(`${report}-`));
}

/**
 * The reports each consumer's folds feed (`reporting-inventory` → fleet), from the same list the
 * consumers and the rebuild use, so a fold added to a source is watched with no change here.
 */
export function reportsByConsumer(): ReadonlyMap<string, readonly ReportName[]> {
  return new Map(
    REPORT_SOURCES.map((source) => [
      source.consumer,
      [
        ...new Set(
          source.folds
            .map((fold) => reportOfDocumentKind(fold.kind))
            .filter((report): report is ReportName => report !== undefined),
        ),
      ],
    ]),
  );
}
