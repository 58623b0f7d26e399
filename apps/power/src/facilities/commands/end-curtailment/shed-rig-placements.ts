import type { EntityManager } from 'typeorm';
import type { EndCurtailment, RigPlacement } from '../../domain/facility.commands';
import type { FacilityState } from '../../domain/facility.state';
import { placementOf } from '../../domain/power-rig';
import type { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';

/**
 * The rigs a curtailment holds, each where power's view of inventory has it installed in this
 * facility now (null: no longer), for its end. Read under the facility's lock.
 */
export async function shedRigPlacements(
  manager: EntityManager,
  rigs: PowerRigsReadModel,
  state: FacilityState,
  facilityId: string,
  curtailmentId: string,
): Promise<EndCurtailment['data']['placements']> {
  const shed = [...state.curtailed]
    .filter(([, rig]) => rig.curtailmentId === curtailmentId)
    .map(([id]) => id);
  const known = await rigs.findByIds(manager, shed);
  const placements = new Map<string, RigPlacement | null>();
  for (const rigId of shed) {
    const rig = known.get(rigId);
    placements.set(rigId, rig ? placementOf(rig, facilityId) : null);
  }
  return placements;
}
