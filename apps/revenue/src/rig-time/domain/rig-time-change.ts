import {
  CurtailmentEnded,
  PowerAllocated,
  PowerReleased,
  RigDecommissioned,
  RigInstalled,
  RigsCurtailed,
  RigSentToRepair,
  type EventEnvelope,
} from '@fleet/contracts';
import { PoisonMessageError } from '@fleet/messaging';
import { dayOf, dayStartMs } from './utc-days';

/**
 * What revenue counts: rigs `online` (drawing power, so hashing, per model) and rigs `installed`
 * (in a slot, whatever their power; the denominator of uptime, with no model).
 */
export type RigTimeMeasure = 'online' | 'installed';

/** The model key of `installed` rows: inventory's slot events do not name the model. */
export const ANY_MODEL = '*';

/**
 * `rigs` rigs of a model started (`sign` 1) or stopped (-1) counting at `atMs`, within the UTC day
 * `day`. Stored as sums per facility, day, measure and model: `netRigs` = Σ sign × rigs and
 * `offsetMs` = Σ sign × rigs × (atMs − the day's start). Sums commute, so the consumers of the
 * different event types may apply their changes in any order and the figures come out the same.
 */
export interface RigTimeChange {
  readonly facilityId: string;
  readonly day: string;
  readonly measure: RigTimeMeasure;
  readonly model: string;
  readonly netRigs: number;
  readonly offsetMs: number;
}

/** The event is not one this code can read: retrying will not help. */
export class UnreadableRigTimeEventError extends PoisonMessageError {
  constructor(envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion'>, why: string) {
    super(
      `cannot count rig time of event ${envelope.eventId} (${envelope.type} v${envelope.schemaVersion}): ${why}`,
    );
    this.name = 'UnreadableRigTimeEventError';
  }
}

const DEFINITIONS = [
  PowerAllocated,
  PowerReleased,
  RigsCurtailed,
  CurtailmentEnded,
  RigInstalled,
  RigSentToRepair,
  RigDecommissioned,
] as const;

/** The event types whose changes revenue counts (power's allocations, inventory's slots). */
export const RIG_TIME_EVENT_TYPES = DEFINITIONS.map((definition) => definition.type);

function parse<T>(definition: (typeof DEFINITIONS)[number], envelope: EventEnvelope): T {
  if (envelope.schemaVersion !== definition.version)
    throw new UnreadableRigTimeEventError(envelope, `expected ${definition.type} v${definition.version}`);
  const parsed = definition.schema.safeParse(envelope.data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UnreadableRigTimeEventError(envelope, issues.join('; '));
  }
  return parsed.data as T;
}

function countByModel(rigs: readonly { readonly model: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rig of rigs) counts.set(rig.model, (counts.get(rig.model) ?? 0) + 1);
  return counts;
}

function changesAt(
  facilityId: string,
  measure: RigTimeMeasure,
  occurredAt: string,
  sign: 1 | -1,
  counts: ReadonlyMap<string, number>,
): RigTimeChange[] {
  const atMs = Date.parse(occurredAt);
  const day = dayOf(atMs);
  const sinceDayStart = atMs - dayStartMs(day);
  return [...counts]
    .filter(([, rigs]) => rigs > 0)
    .map(([model, rigs]) => ({
      facilityId,
      day,
      measure,
      model,
      netRigs: sign * rigs,
      offsetMs: sign * rigs * sinceDayStart,
    }));
}

/**
 * The rig-time changes of one event, at the instant it occurred. Power's events say when rigs start
 * and stop drawing power (allocated, released, shed by a curtailment, restored when it ends), so
 * they are the source of online time: inventory's `RigPoweredOn`/`Off` only follow them, later, one
 * event per rig. Inventory's slot events say when a rig is installed and when it leaves its slot.
 */
export function rigTimeChangesOf(envelope: EventEnvelope): RigTimeChange[] {
  const at = envelope.occurredAt;
  switch (envelope.type) {
    case PowerAllocated.type: {
      const data = parse<PowerAllocated['data']>(PowerAllocated, envelope);
      return changesAt(data.facilityId, 'online', at, 1, countByModel(data.rigs));
    }
    case PowerReleased.type: {
      const data = parse<PowerReleased['data']>(PowerReleased, envelope);
      return changesAt(data.facilityId, 'online', at, -1, countByModel(data.rigs));
    }
    case RigsCurtailed.type: {
      const data = parse<RigsCurtailed['data']>(RigsCurtailed, envelope);
      return changesAt(data.facilityId, 'online', at, -1, countByModel(data.rigs));
    }
    case CurtailmentEnded.type: {
      // Only the restored rigs draw power again; the handed-over and the not-restored stay off.
      const data = parse<CurtailmentEnded['data']>(CurtailmentEnded, envelope);
      return changesAt(data.facilityId, 'online', at, 1, countByModel(data.restored));
    }
    case RigInstalled.type: {
      const data = parse<RigInstalled['data']>(RigInstalled, envelope);
      return changesAt(data.facilityId, 'installed', at, 1, new Map([[ANY_MODEL, 1]]));
    }
    case RigSentToRepair.type:
    case RigDecommissioned.type: {
      const definition = envelope.type === RigSentToRepair.type ? RigSentToRepair : RigDecommissioned;
      const data = parse<RigSentToRepair['data']>(definition, envelope);
      // A rig that was never racked (no `vacated`) was not counted as installed.
      return data.vacated ? changesAt(data.facilityId, 'installed', at, -1, new Map([[ANY_MODEL, 1]])) : [];
    }
    default:
      throw new UnreadableRigTimeEventError(envelope, `not one of ${RIG_TIME_EVENT_TYPES.join(', ')}`);
  }
}
