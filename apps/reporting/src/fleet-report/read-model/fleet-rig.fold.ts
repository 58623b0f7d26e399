import type { RigStatus } from '@fleet/contracts';
import type { ReportEvent } from '../../report-kit/report-event';
import type { ReportFold } from '../../report-kit/report-fold';

/** One rig as the fleet report counts it. */
export interface FleetRigDoc {
  readonly model: string;
  readonly status: RigStatus;
}

/** The status each inventory event leaves a rig in (inventory's own lifecycle, seen from outside). */
function statusAfter(event: ReportEvent): RigStatus | undefined {
  switch (event.type) {
    case 'RigRegistered':
    case 'RigReturnedFromRepair':
      return 'received';
    case 'RigInstalled':
    case 'RigPoweredOff':
      return 'installed';
    case 'RigSentToRepair':
      return 'in_repair';
    case 'RigDecommissioned':
      return 'decommissioned';
    case 'RigPoweredOn':
      return 'online';
    default:
      return undefined;
  }
}

/** `fleet-rig` documents, one per rig, from inventory's events. */
export const fleetRigFold: ReportFold<FleetRigDoc> = {
  kind: 'fleet-rig',
  types: [
    'RigRegistered',
    'RigReturnedFromRepair',
    'RigInstalled',
    'RigPoweredOff',
    'RigSentToRepair',
    'RigDecommissioned',
    'RigPoweredOn',
  ],
  keysOf: (event) => (statusAfter(event) && 'rigId' in event.data ? [event.data.rigId] : []),
  evolve(doc, event) {
    const status = statusAfter(event);
    if (!status) return doc ?? null;
    if (event.type === 'RigRegistered') return { model: event.data.model, status };
    // An event of a rig whose registration this generation never saw (retention): no model to count.
    return doc ? { ...doc, status } : null;
  },
};
