import {
  INVENTORY_EVENTS,
  type EventEnvelope,
  type InventoryEvent,
  type PowerReleaseReason,
} from '@fleet/contracts';
import { handleCommand, type EventStoreSession } from '@fleet/event-sourcing';
import { metadataCausedBy, PoisonMessageError } from '@fleet/messaging';
import { facilityDecider, facilitySnapshots } from '../../domain/facility.decider';
import { FACILITY_STREAM_TYPE, facilityStreamId } from '../../domain/facility-id';
import { powerRigAfter, type PowerRig } from '../../domain/power-rig';
import type { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { lockFacility, lockRig } from '../advisory-locks';

export const POWER_ACTOR = 'service:power';

/** The envelope is not an inventory event this code can read: retrying will not help, so it is dead-lettered at once. */
export class UnreadableRigEventError extends PoisonMessageError {
  constructor(envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion'>, why: string) {
    super(
      `cannot follow rig event ${envelope.eventId} (${envelope.type} v${envelope.schemaVersion}): ${why}`,
    );
    this.name = 'UnreadableRigEventError';
  }
}

export interface RigFollowed {
  readonly rig: PowerRig;
  /** Rigs whose power this event released (0 or 1). */
  readonly released: number;
}

/**
 * The saga step inventory → power: power's view of the rig follows the event, and a rig that went
 * to repair or was decommissioned while powered is released, in the consumer's transaction. For
 * those the facility's lock comes first, so a power-on cannot read the rig as installed and
 * allocate it after this commits (see `lockFacility`).
 */
export async function followInventoryRig(
  session: EventStoreSession,
  envelope: EventEnvelope,
  rigs: PowerRigsReadModel,
  now: () => Date = () => new Date(),
): Promise<RigFollowed> {
  const event = readInventoryEvent(envelope);
  const { rigId, facilityId } = event.data;
  const reason = releaseReasonOf(event);
  // Only a rig leaving its slot can meet a power-on the wrong way round; the others need no lock.
  if (reason) await lockFacility(session.manager, facilityId);
  await lockRig(session.manager, rigId);
  const known = await rigs.findById(session.manager, rigId);
  const rig = powerRigAfter(known, event, envelope.streamVersion);
  await rigs.save(session.manager, rig, known !== null);
  if (!reason) return { rig, released: 0 };
  const { events } = await handleCommand(
    session,
    facilityDecider,
    {
      type: 'PowerOff',
      // The event's id names the release: a redelivery finds the rig released and appends nothing.
      data: { facilityId, requestId: envelope.eventId, reason, selection: { rigIds: [rigId] } },
    },
    {
      streamId: facilityStreamId(facilityId),
      streamType: FACILITY_STREAM_TYPE,
      metadata: { ...metadataCausedBy(envelope, POWER_ACTOR, now()), facilityId },
      snapshots: facilitySnapshots,
    },
  );
  return { rig, released: events.length };
}

function releaseReasonOf(event: InventoryEvent): PowerReleaseReason | null {
  if (event.type === 'RigSentToRepair') return 'rig-in-repair';
  if (event.type === 'RigDecommissioned') return 'rig-decommissioned';
  return null;
}

function readInventoryEvent(envelope: EventEnvelope): InventoryEvent {
  const definition = INVENTORY_EVENTS.find((candidate) => candidate.type === envelope.type);
  if (!definition || definition.version !== envelope.schemaVersion)
    throw new UnreadableRigEventError(envelope, 'not an inventory rig event of a version power reads');
  const parsed = definition.schema.safeParse(envelope.data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UnreadableRigEventError(envelope, issues.join('; '));
  }
  return { type: definition.type, data: parsed.data } as InventoryEvent;
}
