import { ShipmentUnitsReceived, type EventEnvelope } from '@fleet/contracts';
import {
  handleCommands,
  selectRows,
  type EventMetadata,
  type EventStoreSession,
  type StreamCommand,
} from '@fleet/event-sourcing';
import { metadataCausedBy, PoisonMessageError } from '@fleet/messaging';
import { businessNow } from '@fleet/service-kit';
import type { z } from 'zod';
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
 * The saga step procurement → inventory for one event: `registerReceivedRigsInRun` with a run of
 * one.
 */
export async function registerReceivedRigs(
  session: EventStoreSession,
  envelope: EventEnvelope,
  now: () => Date = businessNow,
): Promise<ReceiptRegistration> {
  const [registration] = await registerReceivedRigsInRun(session, [envelope], now);
  return registration;
}

/**
 * The saga step procurement → inventory for a consumer's run of `ShipmentUnitsReceived` (the
 * chunks of a receipt): one rig per received unit, in the consumer's transaction (`session`), as
 * ONE multi-stream append for the whole run, each rig's events with the metadata of the event that
 * received it. Every event is read first, so one the code cannot read fails the run before
 * anything is written (the consumer then handles the run's messages one by one, and dead-letters
 * only that one). A serial that already has a rig is skipped, and so is a serial a previous event
 * of the run registers: the inbox drops redelivered messages, and this is the second guard (a rig
 * registered by hand first, or a unit listed twice). Rig ids derive from serials, so a writer
 * racing us on the same serial fails our `no_stream` append and the redelivery then skips it.
 * One registration per envelope, in the order given.
 */
export async function registerReceivedRigsInRun(
  session: EventStoreSession,
  envelopes: readonly EventEnvelope[],
  now: () => Date = businessNow,
): Promise<ReceiptRegistration[]> {
  const receipts = envelopes.map((envelope) => ({ envelope, receipt: readReceipt(envelope) }));
  const at = now();

  // Rig id → its registration, the first unit of the run that names its serial.
  const commands = new Map<string, { command: RegisterRig; metadata: EventMetadata; receipt: number }>();
  receipts.forEach(({ envelope, receipt }, index) => {
    const { facilityId, orderId, shipmentId, receiptId, units } = receipt;
    // One metadata object per event: its rigs share it, and the store serialises it once. The
    // facility is the data's, which the schema validated (the envelope's is the same by contract).
    const metadata = { ...metadataCausedBy(envelope, INVENTORY_ACTOR, at), facilityId };
    for (const unit of units) {
      const rigId = rigIdOf(unit.serialNumber);
      if (commands.has(rigId)) continue;
      commands.set(rigId, {
        receipt: index,
        metadata,
        command: {
          type: 'RegisterRig',
          data: {
            rigId,
            serialNumber: unit.serialNumber,
            model: unit.model,
            facilityId,
            ...(unit.macAddress ? { macAddress: unit.macAddress } : {}),
            source: { kind: 'shipment', orderId, shipmentId, receiptId },
          },
        },
      });
    }
  });

  const registered = await selectRows(
    session.manager,
    rigsTable,
    ['id'],
    [...commands.keys()].map((id) => ({ id })),
  );
  const known = new Set(registered.map((rig) => rig.id));
  const fresh: StreamCommand<RegisterRig, RigState>[] = [];
  const registeredPerReceipt = receipts.map(() => 0);
  for (const [rigId, { command, metadata, receipt }] of commands) {
    if (known.has(rigId)) continue;
    registeredPerReceipt[receipt] += 1;
    // A new stream: nothing to read, and the append fails if a racing writer created it first.
    fresh.push({
      streamId: rigStreamId(rigId),
      command,
      loaded: { state: rigDecider.initialState(), version: 0 },
      mustCreate: true,
      metadata,
    });
  }
  const [first] = fresh;
  if (first?.metadata)
    await handleCommands(session, rigDecider, fresh, {
      streamType: RIG_STREAM_TYPE,
      // Every command names its own; this one is never used.
      metadata: first.metadata,
    });
  return receipts.map(({ receipt }, index) => ({
    registered: registeredPerReceipt[index],
    skipped: receipt.units.length - registeredPerReceipt[index],
  }));
}

type Receipt = z.infer<typeof ShipmentUnitsReceived.schema>;

function readReceipt(envelope: EventEnvelope): Receipt {
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
  return parsed.data;
}
