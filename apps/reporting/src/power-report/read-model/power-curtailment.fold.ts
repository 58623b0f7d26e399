import type { ReportFold } from '../../report-kit/report-fold';
import { hourOf } from './power-load-hour.fold';

/** From `at` on, until the next change, the active curtailments of a facility kept this IT load off. */
export interface CurtailedChange {
  readonly at: string;
  readonly itWatts: number;
}

/**
 * What a facility's curtailments keep off now, from power's curtailment events: each rig shed and
 * the IT watts it drew (a rig an ended curtailment could not restore is named without its watts),
 * their sum, and how the sum changed over time for the report's intervals.
 */
export interface PowerCurtailmentDoc {
  readonly rigs: Readonly<Record<string, number>>;
  readonly itWatts: number;
  readonly changes: readonly CurtailedChange[];
}

const EMPTY: PowerCurtailmentDoc = { rigs: {}, itWatts: 0, changes: [] };

/**
 * The document with `rigs` as the rigs now curtailed: their sum, and a change point when it moved.
 * The report reads the sum at the end of an hour or a day, so a change in the hour of the last
 * point replaces it: one point an hour at most however many parts and curtailments the hour saw.
 */
function withRigs(doc: PowerCurtailmentDoc, rigs: Record<string, number>, at: string): PowerCurtailmentDoc {
  const itWatts = Object.values(rigs).reduce((total, watts) => total + watts, 0);
  if (itWatts === doc.itWatts) return { ...doc, rigs };
  const instant = new Date(at).toISOString();
  const last = doc.changes.at(-1);
  // Points stay in time order even if an event carries an earlier time than the one before it.
  const change = { at: last && last.at > instant ? last.at : instant, itWatts };
  const sameHour = last !== undefined && hourOf(last.at) === hourOf(change.at);
  return { rigs, itWatts, changes: [...(sameHour ? doc.changes.slice(0, -1) : doc.changes), change] };
}

/**
 * `power-curtailment` documents, one per facility. A shed rig counts until its curtailment ends:
 * restored (allocated again) or not restored, it leaves; handed over to another curtailment still
 * active, it stays curtailed.
 */
export const powerCurtailmentFold: ReportFold<PowerCurtailmentDoc> = {
  kind: 'power-curtailment',
  types: ['RigsCurtailed', 'CurtailmentEnded'],
  keysOf: (event) =>
    event.type === 'RigsCurtailed' || event.type === 'CurtailmentEnded' ? [event.data.facilityId] : [],
  evolve(doc = EMPTY, event) {
    switch (event.type) {
      case 'RigsCurtailed': {
        const rigs = { ...doc.rigs };
        for (const rig of event.data.rigs) rigs[rig.rigId] = rig.itWatts;
        return withRigs(doc, rigs, event.meta.occurredAt);
      }
      case 'CurtailmentEnded': {
        const leaving = new Set([...event.data.restored, ...event.data.notRestored].map((rig) => rig.rigId));
        const rigs = Object.fromEntries(Object.entries(doc.rigs).filter(([rigId]) => !leaving.has(rigId)));
        for (const rig of event.data.handedOver) rigs[rig.rigId] = rig.itWatts;
        return withRigs(doc, rigs, event.meta.occurredAt);
      }
      default:
        return doc;
    }
  },
};
