import { ShipmentUnitsReceived, type EventEnvelope } from '@fleet/contracts';
import {
  handleCommands,
  selectRows,
  type EventStoreSession,
  type StreamCommand,
} from '@fleet/event-sourcing';
import { metadataCausedBy, PoisonMessageError } from '@fleet/messaging';
import { businessNow } from '@fleet/service-kit';
import type { RegisterRig } from '../../domain/rig.commands';
import { rigDecider } from '../../domain/rig.decider';
import { RIG_STREAM_TYPE, rigIdOf, rigStreamId } from '../../domain/rig-id';
import type { RigState } from '../../domain/rig.state';
import { rigsTable } from '../../read-model/rig.entity';

export const INVENTORY_ACTOR = 'service:inventory';

export interface ReceiptRegistration {
  readonly registered: number;
  /** Serials registered before (by an earlier delivery, another part, or by hand). */
  readonly skipped: number;
}

/** The envelope is not a `ShipmentUnitsReceived` this code can read: retrying will not help, so it is dead-lettered at once. */
export class UnreadableReceiptError extends PoisonMessageError {
  constructor(envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion'>, why: string) {
    super(
      `cannot register the rigs of event ${envelope.eventId} (${envelope.type} v${envelope.schemaVersion}): ${why}`,
    );
    this.name = 'UnreadableReceiptError';
  }
}

/**
 * The saga step procurement → inventory: one rig per received unit, in the consumer's transaction
 * (`session`), as ONE multi-stream append for the whole event. A serial that already has a rig is
 * skipped: the inbox drops redelivered messages, and this is the second guard (a rig registered by
 * hand first, or a unit listed twice). Rig ids derive from serials, so a writer racing us on the
 * same serial fails our `no_stream` append and the redelivery then skips it.
 */
export async function registerReceivedRigs(
  session: EventStoreSession,
  envelope: EventEnvelope,
  now: () => Date = businessNow,
): Promise<ReceiptRegistration> {
  if (
    envelope.type !== ShipmentUnitsReceived.type ||
    envelope.schemaVersion !== ShipmentUnitsReceived.version
  ) {
    throw new UnreadableReceiptError(
      envelope,
      `expected ${ShipmentUnitsReceived.type} v${ShipmentUnitsReceived.version}`,
    );
  }
  const parsed = ShipmentUnitsReceived.schema.safeParse(envelope.data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UnreadableReceiptError(envelope, issues.join('; '));
  }
  const { facilityId, orderId, shipmentId, receiptId, units } = parsed.data;

  const commands = new Map<string, RegisterRig>();
  for (const unit of units) {
    const rigId = rigIdOf(unit.serialNumber);
    if (commands.has(rigId)) continue;
    commands.set(rigId, {
      type: 'RegisterRig',
      data: {
        rigId,
        serialNumber: unit.serialNumber,
        model: unit.model,
        facilityId,
        ...(unit.macAddress ? { macAddress: unit.macAddress } : {}),
        source: { kind: 'shipment', orderId, shipmentId, receiptId },
      },
    });
  }

  const registered = await selectRows(
    session.manager,
    rigsTable,
    ['id'],
    [...commands.keys()].map((id) => ({ id })),
  );
  const known = new Set(registered.map((rig) => rig.id));
  const fresh: StreamCommand<RegisterRig, RigState>[] = [];
  for (const [rigId, command] of commands) {
    if (known.has(rigId)) continue;
    // A new stream: nothing to read, and the append fails if a racing writer created it first.
    fresh.push({
      streamId: rigStreamId(rigId),
      command,
      loaded: { state: rigDecider.initialState(), version: 0 },
      mustCreate: true,
    });
  }
  // One metadata for the whole event, so its rigs go in one append. The facility is the data's,
  // which the schema validated (the envelope's is the same by contract).
  const { results } = await handleCommands(session, rigDecider, fresh, {
    streamType: RIG_STREAM_TYPE,
    metadata: { ...metadataCausedBy(envelope, INVENTORY_ACTOR, now()), facilityId },
  });
  return { registered: results.length, skipped: units.length - results.length };
}
