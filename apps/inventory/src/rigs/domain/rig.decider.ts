import type { InventoryEvent } from '@fleet/contracts';
import type { Decider } from '@fleet/event-sourcing';
import type { RigCommand } from './rig.commands';
import { rigAlreadyRegistered, rigNotFound, RigStatusForbidsError } from './rig.errors';
import { isAllowed, type RigAction } from './rig.lifecycle';
import { evolveRig, initialRigState, type Rig, type RigState } from './rig.state';

export const rigDecider: Decider<RigCommand, RigState, InventoryEvent> = {
  initialState: initialRigState,
  evolve: evolveRig,
  decide(command, state) {
    if (command.type === 'RegisterRig') {
      if (state.status !== 'unregistered') throw rigAlreadyRegistered(state, state.status);
      const { rigId, serialNumber, model, facilityId, macAddress, source } = command.data;
      return [
        {
          type: 'RigRegistered',
          data: { rigId, serialNumber, model, facilityId, ...(macAddress ? { macAddress } : {}), source },
        },
      ];
    }

    if (state.status === 'unregistered') throw rigNotFound(command.data.rigId);
    const { rigId, facilityId } = state;
    switch (command.type) {
      case 'InstallRig': {
        assertAllowed('install', state);
        const { rack, slot } = command.data;
        return [{ type: 'RigInstalled', data: { rigId, facilityId, rack, slot } }];
      }
      case 'SendRigToRepair':
        assertAllowed('send-to-repair', state);
        return [
          {
            type: 'RigSentToRepair',
            data: { rigId, facilityId, reason: command.data.reason, ...vacated(state) },
          },
        ];
      case 'ReturnRigFromRepair':
        assertAllowed('return-from-repair', state);
        return [{ type: 'RigReturnedFromRepair', data: { rigId, facilityId } }];
      case 'DecommissionRig':
        assertAllowed('decommission', state);
        return [
          {
            type: 'RigDecommissioned',
            data: { rigId, facilityId, reason: command.data.reason, ...vacated(state) },
          },
        ];
      case 'CurtailRig': {
        const { facilityPowerVersion, curtailmentId } = command.data;
        if ((state.facilityPowerVersion ?? 0) >= facilityPowerVersion) return [];
        if (state.status === 'curtailed') return [];
        assertAllowed('curtail', state);
        return [
          {
            type: 'RigCurtailed',
            data: { rigId, facilityId, ...slotOf(state), curtailmentId, facilityPowerVersion },
          },
        ];
      }
      case 'PowerOnRig':
      case 'PowerOffRig': {
        const { facilityPowerVersion } = command.data;
        if ((state.facilityPowerVersion ?? 0) >= facilityPowerVersion) return [];
        if (command.type === 'PowerOnRig') {
          if (state.status === 'online') return [];
          assertAllowed('power-on', state);
          return [
            { type: 'RigPoweredOn', data: { rigId, facilityId, ...slotOf(state), facilityPowerVersion } },
          ];
        }
        if (state.status === 'installed') return [];
        assertAllowed('power-off', state);
        return [
          {
            type: 'RigPoweredOff',
            data: { rigId, facilityId, ...slotOf(state), reason: command.data.reason, facilityPowerVersion },
          },
        ];
      }
    }
  },
};

/** A rig power can switch sits in a slot: every status power-on and power-off allow has one. */
function slotOf(rig: Rig): { rack: string; slot: number } {
  if (!rig.location) throw new Error(`rig ${rig.rigId} is ${rig.status} without a slot`);
  return { rack: rig.location.rack, slot: rig.location.slot };
}

function vacated(rig: Rig): { vacated?: { rack: string; slot: number } } {
  return rig.location ? { vacated: { rack: rig.location.rack, slot: rig.location.slot } } : {};
}

function assertAllowed(action: RigAction, rig: Rig): void {
  if (!isAllowed(action, rig.status)) throw new RigStatusForbidsError(action, rig);
}
