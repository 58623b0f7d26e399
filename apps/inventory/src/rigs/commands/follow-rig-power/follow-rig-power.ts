import {
  CurtailmentEnded,
  PowerAllocated,
  PowerReleased,
  RigsCurtailed,
  type EventEnvelope,
} from '@fleet/contracts';
import {
  handleCommands,
  selectRows,
  type EventMetadata,
  type EventStoreSession,
  type StreamCommand,
} from '@fleet/event-sourcing';
import { metadataCausedBy, PoisonMessageError } from '@fleet/messaging';
import type { z } from 'zod';
import { businessNow } from '@fleet/service-kit';
import type { CurtailRig, PowerOffRig, PowerOnRig } from '../../domain/rig.commands';
import { rigDecider } from '../../domain/rig.decider';
import { RIG_STREAM_TYPE, rigStreamId } from '../../domain/rig-id';
import type { RigState } from '../../domain/rig.state';
import { rigStateOf, rigsTable } from '../../read-model/rig.entity';
import { INVENTORY_ACTOR } from '../register-received-rigs/register-received-rigs';

export interface RigPowerFollowed {
  /** Rigs whose status changed (online, curtailed, or back to installed). */
  readonly changed: number;
  /** Rigs already there (a repeat), unknown here, or in a status power's event no longer fits. */
  readonly skipped: number;
}

/** The envelope is not a power event this code can read: retrying will not help, so it is dead-lettered at once. */
export class UnreadablePowerEventError extends PoisonMessageError {
  constructor(envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion'>, why: string) {
    super(
      `cannot follow power event ${envelope.eventId} (${envelope.type} v${envelope.schemaVersion}): ${why}`,
    );
    this.name = 'UnreadablePowerEventError';
  }
}

/** The saga step power → inventory for one event: `followRigPowerInRun` with a run of one. */
export async function followRigPower(
  session: EventStoreSession,
  envelope: EventEnvelope,
  now: () => Date = businessNow,
): Promise<RigPowerFollowed> {
  const [followed] = await followRigPowerInRun(session, [envelope], now);
  return followed;
}

/**
 * The saga step power → inventory for a consumer's run of power events (the chunks of one
 * allocation, of a release…): the rigs of a `PowerAllocated` go online, those of a `PowerReleased`
 * back to installed, those of a `RigsCurtailed` curtailed, and a curtailment's end
 * (`CurtailmentEnded`) puts the rigs it restored online and those it could not back to installed
 * (a rig handed over to another curtailment stays curtailed), in the consumer's transaction,
 * decided from the rigs' rows. The events' rigs go in one multi-stream append, each rig's events
 * with the metadata of the event that moved it; an event that names a rig an earlier event of the
 * run moved starts another append (read after the first, in the same transaction), so each rig
 * follows the events in order. Every event is read first: one the code cannot read fails the run
 * before anything is written. Power decides and the rig follows: a rig that has seen the facility
 * stream's version of an event (a repeat, or a newer event first) is left as it is, and so is a
 * rig whose status no longer fits (sent to repair since: power releases it on its own). One
 * outcome per envelope, in the order given.
 */
export async function followRigPowerInRun(
  session: EventStoreSession,
  envelopes: readonly EventEnvelope[],
  now: () => Date = businessNow,
): Promise<RigPowerFollowed[]> {
  const events = envelopes.map((envelope) => ({ envelope, rigs: readPowerEvent(envelope) }));
  const at = now();
  const changed = envelopes.map(() => 0);

  const segments: SegmentCommand[][] = [];
  let segment: SegmentCommand[] = [];
  let inSegment = new Set<string>();
  events.forEach(({ envelope, rigs }, index) => {
    // One command per rig and event (the last, if an event names a rig twice).
    const commandOf = new Map(rigs.map((rig) => [rig.rigId, rig.command]));
    if ([...commandOf.keys()].some((rigId) => inSegment.has(rigId))) {
      segments.push(segment);
      segment = [];
      inSegment = new Set();
    }
    const metadata = metadataCausedBy(envelope, INVENTORY_ACTOR, at);
    for (const [rigId, command] of commandOf) {
      segment.push({ rigId, command, metadata, event: index });
      inSegment.add(rigId);
    }
  });
  segments.push(segment);
  for (const commands of segments) await followSegment(session, commands, changed);
  return events.map(({ rigs }, index) => ({
    changed: changed[index],
    skipped: rigs.length - changed[index],
  }));
}

/** A rig's command in a run, with its event's metadata and index. */
interface SegmentCommand {
  readonly rigId: string;
  readonly command: RigPowerCommand;
  readonly metadata: EventMetadata;
  readonly event: number;
}

/** Commands on distinct rigs, decided from the rigs' rows and appended at once; counts the changes per event. */
async function followSegment(
  session: EventStoreSession,
  segment: readonly SegmentCommand[],
  changed: number[],
): Promise<void> {
  const byRig = new Map(segment.map((one) => [one.rigId, one]));
  const rows = await selectRows(
    session.manager,
    rigsTable,
    ['id'],
    segment.map((one) => ({ id: one.rigId })),
  );
  const eventOf = new Map<string, number>();
  const commands: StreamCommand<RigPowerCommand, RigState>[] = rows.flatMap((row) => {
    const one = byRig.get(row.id);
    if (!one) return [];
    const streamId = rigStreamId(row.id);
    eventOf.set(streamId, one.event);
    return [
      {
        streamId,
        command: one.command,
        loaded: { state: rigStateOf(row), version: Number(row.version) },
        metadata: one.metadata,
      },
    ];
  });
  const [first] = commands;
  if (!first?.metadata) return;
  const { results } = await handleCommands(session, rigDecider, commands, {
    streamType: RIG_STREAM_TYPE,
    // Every command names its own; this one is never used.
    metadata: first.metadata,
    rejections: 'collect',
  });
  for (const result of results) {
    const event = eventOf.get(result.command.streamId);
    if (result.events.length > 0 && event !== undefined) changed[event] += 1;
  }
}

type RigPowerCommand = PowerOnRig | PowerOffRig | CurtailRig;

/** What one rig of a power event is to do. */
interface FollowedRig {
  readonly rigId: string;
  readonly command: RigPowerCommand;
}

function readPowerEvent(envelope: EventEnvelope): FollowedRig[] {
  const facilityPowerVersion = envelope.streamVersion;
  const version = { facilityPowerVersion };
  if (envelope.type === PowerAllocated.type && envelope.schemaVersion === PowerAllocated.version)
    return parse(envelope, PowerAllocated.schema).rigs.map(({ rigId }) => ({
      rigId,
      command: { type: 'PowerOnRig', data: { rigId, ...version } },
    }));
  if (envelope.type === PowerReleased.type && envelope.schemaVersion === PowerReleased.version) {
    const { rigs, reason } = parse(envelope, PowerReleased.schema);
    return rigs.map(({ rigId }) => ({
      rigId,
      command: { type: 'PowerOffRig', data: { rigId, reason, ...version } },
    }));
  }
  if (envelope.type === RigsCurtailed.type && envelope.schemaVersion === RigsCurtailed.version) {
    const { rigs, curtailmentId } = parse(envelope, RigsCurtailed.schema);
    return rigs.map(({ rigId }) => ({
      rigId,
      command: { type: 'CurtailRig', data: { rigId, curtailmentId, ...version } },
    }));
  }
  if (envelope.type === CurtailmentEnded.type && envelope.schemaVersion === CurtailmentEnded.version) {
    const { restored, notRestored } = parse(envelope, CurtailmentEnded.schema);
    return [
      ...restored.map(({ rigId }): FollowedRig => ({
        rigId,
        command: { type: 'PowerOnRig', data: { rigId, ...version } },
      })),
      ...notRestored.map(({ rigId, reason }): FollowedRig => ({
        rigId,
        command: { type: 'PowerOffRig', data: { rigId, reason: `curtailment-ended: ${reason}`, ...version } },
      })),
    ];
  }
  throw new UnreadablePowerEventError(
    envelope,
    'expected PowerAllocated, PowerReleased, RigsCurtailed or CurtailmentEnded v1',
  );
}

function parse<Schema extends z.ZodType>(envelope: EventEnvelope, schema: Schema): z.infer<Schema> {
  const parsed = schema.safeParse(envelope.data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new UnreadablePowerEventError(envelope, issues.join('; '));
}
