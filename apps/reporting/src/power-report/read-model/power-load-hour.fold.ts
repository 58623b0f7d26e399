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

function changeOf(event: ReportEvent): number {
  if (event.type === 'PowerAllocated') return event.data.rigs.reduce((total, rig) => total + rig.itWatts, 0);
  if (event.type === 'PowerReleased') return -event.data.rigs.reduce((total, rig) => total + rig.itWatts, 0);
  return 0;
}

/** `power-load-hour` documents, keyed `<facilityId>/<hour>`. */
export const powerLoadHourFold: ReportFold<PowerLoadHourDoc> = {
  kind: 'power-load-hour',
  keysOf: (event) =>
    event.type === 'PowerAllocated' || event.type === 'PowerReleased'
      ? [`${event.data.facilityId}/${hourOf(event.meta.occurredAt)}`]
      : [],
  evolve(doc, event) {
    const change = changeOf(event);
    const before = doc ?? { hour: hourOf(event.meta.occurredAt), netWatts: 0, peakAboveStartWatts: 0 };
    const netWatts = before.netWatts + change;
    return { ...before, netWatts, peakAboveStartWatts: Math.max(before.peakAboveStartWatts, netWatts) };
  },
};
