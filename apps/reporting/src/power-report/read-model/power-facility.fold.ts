import type { ReportFold } from '../../report-kit/report-fold';

export interface CapacityStepFacts {
  readonly effectiveFrom: string;
  readonly capacityWatts: number;
}

/** A facility's power contract and its allocated IT load now, from power's events. */
export interface PowerFacilityDoc {
  readonly schedule: readonly CapacityStepFacts[];
  readonly reserveWatts: number;
  readonly pueMilli: number;
  readonly itWatts: number;
  readonly rigsOn: number;
}

const EMPTY: PowerFacilityDoc = { schedule: [], reserveWatts: 0, pueMilli: 1000, itWatts: 0, rigsOn: 0 };

function wattsOf(rigs: readonly { itWatts: number }[]): number {
  return rigs.reduce((total, rig) => total + rig.itWatts, 0);
}

/**
 * `power-facility` documents, one per facility. Curtailment (curtailed kW) and the capacity
 * forecast are not in power's events yet: their cases join here when power publishes them.
 */
export const powerFacilityFold: ReportFold<PowerFacilityDoc> = {
  kind: 'power-facility',
  keysOf: (event) => {
    switch (event.type) {
      case 'FacilityCapacityScheduled':
      case 'PowerAllocated':
      case 'PowerReleased':
        return [event.data.facilityId];
      default:
        return [];
    }
  },
  evolve(doc = EMPTY, event) {
    switch (event.type) {
      case 'FacilityCapacityScheduled':
        return {
          ...doc,
          schedule: event.data.schedule.map(({ effectiveFrom, capacityWatts }) => ({
            effectiveFrom,
            capacityWatts,
          })),
          reserveWatts: event.data.reserveWatts,
          pueMilli: event.data.pueMilli,
        };
      case 'PowerAllocated':
        return {
          ...doc,
          itWatts: doc.itWatts + wattsOf(event.data.rigs),
          rigsOn: doc.rigsOn + event.data.rigs.length,
        };
      case 'PowerReleased':
        return {
          ...doc,
          itWatts: Math.max(0, doc.itWatts - wattsOf(event.data.rigs)),
          rigsOn: Math.max(0, doc.rigsOn - event.data.rigs.length),
        };
      default:
        return doc;
    }
  },
};
