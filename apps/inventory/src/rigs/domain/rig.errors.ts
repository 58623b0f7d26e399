import type { RigStatus } from '@fleet/contracts';
import { DomainError } from '@fleet/event-sourcing';
import {
  actionsAllowedIn,
  describeAction,
  describeAllowedActions,
  statusesAllowing,
  type RigAction,
} from './rig.lifecycle';
import type { Rig, SlotKey } from './rig.state';

/** The one 404 for a rig, whether its row or its stream was looked for. */
export function rigNotFound(rigId: string): DomainError {
  return new DomainError('not_found', 'rig-not-found', `there is no rig ${rigId}`, { rigId });
}

/**
 * A serial has one rig. With the rig's `status` the decider saw it registered; without, another
 * writer (the receipt saga, another request) registered it between our read and our write.
 */
export function rigAlreadyRegistered(
  rig: { readonly rigId: string; readonly serialNumber: string },
  status?: RigStatus,
): DomainError {
  const { rigId, serialNumber } = rig;
  return status === undefined
    ? new DomainError(
        'conflict',
        'rig-already-registered',
        `serial number ${serialNumber} was registered as rig ${rigId} at the same time`,
        { rigId, serialNumber },
      )
    : new DomainError(
        'conflict',
        'rig-already-registered',
        `serial number ${serialNumber} is already registered as rig ${rigId} (status ${status})`,
        { rigId, serialNumber, status },
      );
}

/** Refuses with a 409 that says why: the rig's status, what the action needs and what the status allows. */
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

export function describeSlot(slot: SlotKey): string {
  return `slot ${slot.rack}/${slot.slot} in facility ${slot.facilityId}`;
}

/** Who sits in a slot, with its serial for the message. */
export interface SlotOccupant extends SlotKey {
  readonly rigId: string;
  /** Null only if the occupant's rig row is missing, which the projections never leave behind. */
  readonly serialNumber: string | null;
}

const NAMED_IN_MESSAGE = 5;

/** One rig per slot: the 409 names each slot asked for and the rig that holds it. */
export class SlotTakenError extends DomainError {
  constructor(readonly occupants: readonly SlotOccupant[]) {
    const sentences = occupants
      .slice(0, NAMED_IN_MESSAGE)
      .map((occupant) => `${describeSlot(occupant)} is taken by ${occupantName(occupant)}`);
    const more = occupants.length - NAMED_IN_MESSAGE;
    super('conflict', 'slot-taken', sentences.join('; ') + (more > 0 ? `; and ${more} more slots` : ''), {
      slots: occupants.map(({ facilityId, rack, slot, rigId, serialNumber }) => ({
        facilityId,
        rack,
        slot,
        occupant: { rigId, serialNumber },
      })),
    });
  }
}

/** `rig <serial>` (its id when the serial is unknown): how a slot's occupant is named in every refusal. */
export function occupantName(occupant: Pick<SlotOccupant, 'rigId' | 'serialNumber'>): string {
  return `rig ${occupant.serialNumber ?? occupant.rigId}`;
}
