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

/**
 * The saga step power → inventory: the rigs of a `PowerAllocated` go online, those of a
 * `PowerReleased` back to installed, those of a `RigsCurtailed` curtailed, and a curtailment's end
 * (`CurtailmentEnded`) puts the rigs it restored online and those it could not back to installed
 * (a rig handed over to another curtailment stays curtailed), in the consumer's transaction, as one multi-stream append
 * decided from the rigs' rows. Power decides and the rig follows: a rig that has seen the facility
 * stream's version of this event (a repeat, or a newer event first) is left as it is, and so is a
 * rig whose status no longer fits (sent to repair since: power releases it on its own).
 */
export async function followRigPower(
  session: EventStoreSession,
  envelope: EventEnvelope,
  now: () => Date = businessNow,
): Promise<RigPowerFollowed> {
  const followed = readPowerEvent(envelope);
  const commandOf = new Map(followed.map((rig) => [rig.rigId, rig.command]));
  const rows = await selectRows(
    session.manager,
    rigsTable,
    ['id'],
    followed.map((rig) => ({ id: rig.rigId })),
  );
  const commands: StreamCommand<RigPowerCommand, RigState>[] = rows.flatMap((row) => {
    const command = commandOf.get(row.id);
    if (!command) return [];
    return [
      {
        streamId: rigStreamId(row.id),
        command,
        loaded: { state: rigStateOf(row), version: Number(row.version) },
      },
    ];
  });
  const { results } = await handleCommands(session, rigDecider, commands, {
    streamType: RIG_STREAM_TYPE,
    metadata: metadataCausedBy(envelope, INVENTORY_ACTOR, now()),
    rejections: 'collect',
  });
  const changed = results.filter((result) => result.events.length > 0).length;
  return { changed, skipped: followed.length - changed };
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
