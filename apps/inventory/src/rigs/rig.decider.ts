import type { InventoryEvent, RigStatus } from '@fleet/contracts';
import { DomainError, type Decider } from '@fleet/event-sourcing';
import type { RigCommand } from './rig.commands';
import {
  actionsAllowedIn,
  describeAction,
  describeAllowedActions,
  isAllowed,
  statusesAllowing,
  type RigAction,
} from './rig.lifecycle';
import { evolveRig, initialRigState, type Rig, type RigState } from './rig.state';

export const rigDecider: Decider<RigCommand, RigState, InventoryEvent> = {
  initialState: initialRigState,
  evolve: evolveRig,
  decide(command, state) {
    if (command.type === 'RegisterRig') {
      if (state.status !== 'unregistered') {
        throw new DomainError(
          'conflict',
          'rig-already-registered',
          `serial number ${state.serialNumber} is already registered as rig ${state.rigId} (status ${state.status})`,
          { rigId: state.rigId, serialNumber: state.serialNumber, status: state.status },
        );
      }
      const { rigId, serialNumber, model, facilityId, macAddress, source } = command.data;
      return [
        {
          type: 'RigRegistered',
          data: { rigId, serialNumber, model, facilityId, ...(macAddress ? { macAddress } : {}), source },
        },
      ];
    }

    if (state.status === 'unregistered') {
      throw new DomainError('not_found', 'rig-not-found', 'no such rig');
    }
    const { rigId, facilityId } = state;
    switch (command.type) {
      case 'InstallRig':
        assertAllowed('install', state);
        return [{ type: 'RigInstalled', data: { rigId, facilityId, ...command.data } }];
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
    }
  },
};

function vacated(rig: Rig): { vacated?: { rack: string; slot: number } } {
  return rig.location ? { vacated: { rack: rig.location.rack, slot: rig.location.slot } } : {};
}

/** Refuses with a 409 that says why: the rig's status, what the action needs and what the status allows. */
function assertAllowed(action: RigAction, rig: Rig): void {
  if (isAllowed(action, rig.status)) return;
  throw new RigStatusForbidsError(action, rig);
}

export class RigStatusForbidsError extends DomainError {
  constructor(action: RigAction, rig: Rig) {
    const where = rig.location ? ` in ${rig.location.rack}/${rig.location.slot}` : '';
    const needs = orList(statusesAllowing(action).map(quoted));
    super(
      'conflict',
      `rig-status-forbids-${action}`,
      `rig ${rig.serialNumber} is ${quoted(rig.status)}${where}, so it cannot be ${describeAction(action)} ` +
        `(only a ${needs} rig can); in status ${quoted(rig.status)} a rig ${describeAllowedActions(rig.status)}`,
      {
        rigId: rig.rigId,
        serialNumber: rig.serialNumber,
        status: rig.status,
        allowedActions: actionsAllowedIn(rig.status),
        ...(rig.location ? { rack: rig.location.rack, slot: rig.location.slot } : {}),
      },
    );
  }
}

function quoted(status: RigStatus): string {
  return `'${status}'`;
}

function orList(words: readonly string[]): string {
  return words.length <= 1
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
