import { Decimal } from 'decimal.js';
import { RIG_MODELS, RIG_STATUSES, sumDecimals, type RigStatus } from '@fleet/contracts';
import type { FleetRigDoc } from './fleet-rig.fold';

/** Rigs in a rack (installed, online, offline, curtailed). */
const RACKED: ReadonlySet<RigStatus> = new Set(['installed', 'online', 'offline', 'curtailed']);

export interface FleetRigFacts extends FleetRigDoc {
  readonly facilityId: string;
}

export interface ModelFigures {
  readonly model: string;
  readonly rigs: number;
  readonly online: number;
  readonly hashrateUnit: string;
  /** Nominal hashrate of the online rigs, a decimal string in `hashrateUnit`. */
  readonly hashrateOnline: string;
}

export interface FacilityFigures {
  readonly facilityId: string;
  readonly rigs: number;
  readonly installed: number;
  readonly online: number;
}

export interface FleetReport {
  readonly facilityId: string | null;
  readonly rigs: number;
  readonly byStatus: Record<RigStatus, number>;
  readonly byModel: ModelFigures[];
  readonly byFacility: FacilityFigures[];
  /** Rigs in a rack, powered or not. */
  readonly installed: number;
  readonly online: number;
  /** Nominal hashrate online per unit (TH/s for SHA-256, kSol/s for Equihash), decimal strings. */
  readonly hashrateOnline: Record<string, string>;
}

const modelsById = new Map(RIG_MODELS.map((model) => [model.id, model]));

/** The fleet report's figures from its rigs. Pure, so the CSV and the JSON answer the same. */
export function fleetReportOf(facilityId: string | null, rigs: readonly FleetRigFacts[]): FleetReport {
  const byStatus = Object.fromEntries(RIG_STATUSES.map((status) => [status, 0])) as Record<RigStatus, number>;
  const models = new Map<string, { rigs: number; online: number }>();
  const facilities = new Map<string, { rigs: number; installed: number; online: number }>();
  let installed = 0;
  let online = 0;
  for (const rig of rigs) {
    byStatus[rig.status] += 1;
    const model = models.get(rig.model) ?? { rigs: 0, online: 0 };
    const facility = facilities.get(rig.facilityId) ?? { rigs: 0, installed: 0, online: 0 };
    model.rigs += 1;
    facility.rigs += 1;
    if (RACKED.has(rig.status)) {
      installed += 1;
      facility.installed += 1;
    }
    if (rig.status === 'online') {
      online += 1;
      model.online += 1;
      facility.online += 1;
    }
    models.set(rig.model, model);
    facilities.set(rig.facilityId, facility);
  }
  const byModel = [...models.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, counts]): ModelFigures => {
      const model = modelsById.get(id);
      const perRig = model?.nominalHashrate ?? '0';
      return {
        model: id,
        ...counts,
        hashrateUnit: model?.hashrateUnit ?? 'unknown',
        hashrateOnline: new Decimal(perRig).mul(counts.online).toFixed(),
      };
    });
  const hashrateOnline: Record<string, string> = {};
  for (const figures of byModel)
    if (figures.online > 0)
      hashrateOnline[figures.hashrateUnit] = sumDecimals([
        hashrateOnline[figures.hashrateUnit] ?? '0',
        figures.hashrateOnline,
      ]);
  const byFacility = [...facilities.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, counts]) => ({ facilityId: id, ...counts }));
  return { facilityId, rigs: rigs.length, byStatus, byModel, byFacility, installed, online, hashrateOnline };
}
