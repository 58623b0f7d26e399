import type { ReportEvent } from '../../report-kit/report-event';
import type { ReportFold } from '../../report-kit/report-fold';

/**
 * The change of a facility's allocated IT load within one hour: its net change and the highest
 * point it reached above the hour's start. The load at any hour is the sum of the earlier hours'
 * net changes, so a document never depends on another.
 */
export interface PowerLoadHourDoc {
  readonly hour: string;
  readonly netWatts: number;
  readonly peakAboveStartWatts: number;
}

/** `2026-11-29T17:42:10.123Z` → `2026-11-29T17:00:00.000Z`. */
export function hourOf(instant: string): string {
  const date = new Date(instant);
  date.setUTCMinutes(0, 0, 0);
  return date.toISOString();
}

const wattsOf = (rigs: readonly { itWatts: number }[]): number =>
  rigs.reduce((total, rig) => total + rig.itWatts, 0);

/** The allocated IT load an event changes: a curtailment sheds rigs and its end restores some. */
function changeOf(event: ReportEvent): number {
  switch (event.type) {
    case 'PowerAllocated':
      return wattsOf(event.data.rigs);
    case 'CurtailmentEnded':
      return wattsOf(event.data.restored);
    case 'PowerReleased':
    case 'RigsCurtailed':
      return -wattsOf(event.data.rigs);
    default:
      return 0;
  }
}

/** `power-load-hour` documents, keyed `<facilityId>/<hour>`. */
export const powerLoadHourFold: ReportFold<PowerLoadHourDoc> = {
  kind: 'power-load-hour',
  types: ['PowerAllocated', 'PowerReleased', 'RigsCurtailed', 'CurtailmentEnded'],
  keysOf: (event) => {
    switch (event.type) {
      case 'PowerAllocated':
      case 'PowerReleased':
      case 'RigsCurtailed':
        return [`${event.data.facilityId}/${hourOf(event.meta.occurredAt)}`];
      case 'CurtailmentEnded':
        // Only a restore changes the load: an end that restores none writes no hour.
        return event.data.restored.length > 0
          ? [`${event.data.facilityId}/${hourOf(event.meta.occurredAt)}`]
          : [];
      default:
        return [];
    }
  },
  evolve(doc, event) {
    const change = changeOf(event);
    const before = doc ?? { hour: hourOf(event.meta.occurredAt), netWatts: 0, peakAboveStartWatts: 0 };
    const netWatts = before.netWatts + change;
    return { ...before, netWatts, peakAboveStartWatts: Math.max(before.peakAboveStartWatts, netWatts) };
  },
};
