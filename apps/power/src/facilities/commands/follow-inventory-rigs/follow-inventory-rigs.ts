import {
  INVENTORY_EVENTS,
  type EventEnvelope,
  type InventoryEvent,
  type PowerReleaseReason,
} from '@fleet/contracts';
import { handleCommand, type EventStoreSession } from '@fleet/event-sourcing';
import { metadataCausedBy, PoisonMessageError } from '@fleet/messaging';
import { businessNow } from '@fleet/service-kit';
import { facilityDecider, facilitySnapshots } from '../../domain/facility.decider';
import { FACILITY_STREAM_TYPE, facilityStreamId } from '../../domain/facility-id';
import { powerRigAfter, type PowerRig } from '../../domain/power-rig';
import type { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { lockFacilities, lockRigs } from '../advisory-locks';

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

export interface RigsFollowed {
  /** Power's view of each rig the events named, after them. */
  readonly rigs: readonly PowerRig[];
  /** The rigs whose power the events released, with the event that released each. */
  readonly released: readonly { readonly rigId: string; readonly eventId: string }[];
}

/**
 * The saga step inventory → power, for a run of one event type's events in delivery order: power's
 * view of their rigs follows them, read and written with one statement each, and a rig that went
 * to repair or was decommissioned while powered is released, in the consumer's transaction. For
 * those the facilities' locks come first, so a power-on cannot read the rig as installed and
 * allocate it after this commits (see `lockFacility`); then the rigs' locks, all in one statement.
 */
export async function followInventoryRigs(
  session: EventStoreSession,
  envelopes: readonly EventEnvelope[],
  rigs: PowerRigsReadModel,
  now: () => Date = businessNow,
): Promise<RigsFollowed> {
  // Every event is read first: one the code cannot read fails the run before anything is written.
  const events = envelopes.map((envelope) => ({ envelope, event: readInventoryEvent(envelope) }));
  const releasing = events.filter(({ event }) => releaseReasonOf(event) !== null);
  // Only a rig leaving its slot can meet a power-on the wrong way round; the others need no lock.
  await lockFacilities(
    session.manager,
    releasing.map(({ event }) => event.data.facilityId),
  );
  const rigIds = [...new Set(events.map(({ event }) => event.data.rigId))];
  await lockRigs(session.manager, rigIds);
  const known = await rigs.findByIds(session.manager, rigIds);
  const after = new Map<string, PowerRig>();
  for (const { envelope, event } of events) {
    const rigId = event.data.rigId;
    after.set(
      rigId,
      powerRigAfter(after.get(rigId) ?? known.get(rigId) ?? null, event, envelope.streamVersion),
    );
  }
  await rigs.saveAll(session.manager, [...after.values()], known);

  const released: { rigId: string; eventId: string }[] = [];
  for (const { envelope, event } of releasing) {
    const { rigId, facilityId } = event.data;
    const reason = releaseReasonOf(event);
    if (!reason) continue;
    const { events: appended } = await handleCommand(
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
    if (appended.length > 0) released.push({ rigId, eventId: envelope.eventId });
  }
  return { rigs: [...after.values()], released };
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
