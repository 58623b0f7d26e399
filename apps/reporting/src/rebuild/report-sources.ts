import type { BoundedContext } from '@fleet/contracts';
import type { HeadquartersStreams } from '@fleet/messaging';
import { fleetRigFold } from '../fleet-report/read-model/fleet-rig.fold';
import { pnlMonthFold } from '../pnl-report/read-model/pnl-month.fold';
import { powerCurtailmentFold } from '../power-report/read-model/power-curtailment.fold';
import { powerFacilityFold } from '../power-report/read-model/power-facility.fold';
import { powerLoadHourFold } from '../power-report/read-model/power-load-hour.fold';
import { procurementOrderFold } from '../procurement-report/read-model/procurement-order.fold';
import type { ReportFold } from '../report-kit/report-fold';

/** A source stream of the reports: its durable consumer and the folds it feeds. */
export interface ReportSource {
  readonly context: BoundedContext;
  /** `reporting-<context>`, the name `@OnContextEvents` gives the durable consumer. */
  readonly consumer: string;
  readonly folds: readonly ReportFold<unknown>[];
  /** The stream it reads when not the context's own: at headquarters, a facility's copy. */
  readonly stream?: string;
}

const source = (context: BoundedContext, folds: readonly ReportFold<unknown>[]): ReportSource => ({
  context,
  consumer: `reporting-${context}`,
  folds,
});

/** Every source stream and what it feeds: the live consumers and a rebuild fold the same. */
export const REPORT_SOURCES: readonly ReportSource[] = [
  source('procurement', [procurementOrderFold]),
  source('inventory', [fleetRigFold]),
  source('power', [powerFacilityFold, powerLoadHourFold, powerCurtailmentFold]),
  source('revenue', [pnlMonthFold]),
];

/**
 * At headquarters: every source once per facility, on that facility's headquarters stream, under
 * the name the transport gives its consumer there (`reporting-inventory-us-tx-01`).
 */
export function reportSourcesAt(headquarters: HeadquartersStreams): ReportSource[] {
  return REPORT_SOURCES.flatMap((source) =>
    headquarters.streamsOf(source.context).map(({ facilityId, stream }) => ({
      ...source,
      consumer: `${source.consumer}-${facilityId}`,
      stream,
    })),
  );
}

export function foldsOf(context: BoundedContext): readonly ReportFold<unknown>[] {
  return REPORT_SOURCES.find((candidate) => candidate.context === context)?.folds ?? [];
}
