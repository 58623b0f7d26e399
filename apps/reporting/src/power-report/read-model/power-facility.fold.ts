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

function powered(doc: PowerFacilityDoc, rigs: readonly { itWatts: number }[]): PowerFacilityDoc {
  return { ...doc, itWatts: doc.itWatts + wattsOf(rigs), rigsOn: doc.rigsOn + rigs.length };
}

function unpowered(doc: PowerFacilityDoc, rigs: readonly { itWatts: number }[]): PowerFacilityDoc {
  return {
    ...doc,
    itWatts: Math.max(0, doc.itWatts - wattsOf(rigs)),
    rigsOn: Math.max(0, doc.rigsOn - rigs.length),
  };
}

/**
 * `power-facility` documents, one per facility. A curtailment's rigs are no longer allocated while
 * it sheds them (power releases them without a `PowerReleased`) and allocated again when its end
 * restores them; what it keeps off is in `power-curtailment`.
 */
export const powerFacilityFold: ReportFold<PowerFacilityDoc> = {
  kind: 'power-facility',
  types: [
    'FacilityCapacityScheduled',
    'PowerAllocated',
    'PowerReleased',
    'RigsCurtailed',
    'CurtailmentEnded',
  ],
  keysOf: (event) => {
    switch (event.type) {
      case 'FacilityCapacityScheduled':
      case 'PowerAllocated':
      case 'PowerReleased':
      case 'RigsCurtailed':
      case 'CurtailmentEnded':
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
        return powered(doc, event.data.rigs);
      case 'CurtailmentEnded':
        return powered(doc, event.data.restored);
      case 'PowerReleased':
      case 'RigsCurtailed':
        return unpowered(doc, event.data.rigs);
      default:
        return doc;
    }
  },
};
