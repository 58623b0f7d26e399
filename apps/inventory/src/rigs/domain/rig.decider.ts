import type { InventoryEvent, RigStatus } from '@fleet/contracts';
import type { Decider } from '@fleet/event-sourcing';
import type { CurtailRig, PowerOffRig, PowerOnRig, RigCommand } from './rig.commands';
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
      case 'PowerOnRig':
      case 'PowerOffRig':
      case 'CurtailRig': {
        if ((state.facilityPowerVersion ?? 0) >= command.data.facilityPowerVersion) return [];
        // Each of power's event types has its own consumer, so an older one may come after a newer
        // one: the newer is recorded even when the rig already stands where it says (a curtailment's
        // end before its start), so that the older, coming later, finds it seen and changes nothing.
        const { action, status } = POWER_MOVES[command.type];
        if (state.status !== status) assertAllowed(action, state);
        return [powerEventOf(command, rigId, facilityId, state)];
      }
    }
  },
};

/** Each of power's commands: the lifecycle action it is, and the status it leaves the rig in. */
const POWER_MOVES: Readonly<Record<PowerCommand['type'], { action: RigAction; status: RigStatus }>> = {
  PowerOnRig: { action: 'power-on', status: 'online' },
  PowerOffRig: { action: 'power-off', status: 'installed' },
  CurtailRig: { action: 'curtail', status: 'curtailed' },
};

type PowerCommand = PowerOnRig | PowerOffRig | CurtailRig;

/** The rig event of one of power's commands, at the slot the rig sits in. */
function powerEventOf(command: PowerCommand, rigId: string, facilityId: string, rig: Rig): InventoryEvent {
  const { facilityPowerVersion } = command.data;
  const at = { rigId, facilityId, ...slotOf(rig), facilityPowerVersion };
  switch (command.type) {
    case 'PowerOnRig':
      return { type: 'RigPoweredOn', data: at };
    case 'PowerOffRig':
      return { type: 'RigPoweredOff', data: { ...at, reason: command.data.reason } };
    case 'CurtailRig':
      return { type: 'RigCurtailed', data: { ...at, curtailmentId: command.data.curtailmentId } };
  }
}

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
