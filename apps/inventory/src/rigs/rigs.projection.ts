import { INVENTORY_EVENTS } from '@fleet/contracts';
import type { InlineProjection, RecordedEvent } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { inventoryEventOf } from './inventory-event';
import type { RigRecord } from './rig.record';
import { insertRigRows, updateRigRows, type RigRowChange } from './rigs.sql';

/**
 * Keeps the `rigs` table, one row per rig, in the append's transaction. A receipt registers up to
 * a thousand rigs in one append, so rows are written in multi-row statements, never one by one.
 */
@Injectable()
export class RigsProjection implements InlineProjection {
  readonly name = 'rigs';
  readonly handles = INVENTORY_EVENTS.map((definition) => definition.type);

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    let inserts: RigRecord[] = [];
    let changes = new Map<string, RigRowChange>();
    const flushInserts = async () => {
      if (inserts.length > 0) await insertRigRows(manager, inserts);
      inserts = [];
    };
    const flushChanges = async () => {
      if (changes.size > 0) await updateRigRows(manager, [...changes.values()]);
      changes = new Map();
    };

    // Statements run in event order; a batch is cut where order would matter (a rig touched twice).
    for (const recorded of events) {
      const event = inventoryEventOf(recorded);
      if (!event) continue;
      const at = recorded.metadata.occurredAt;
      if (event.type === 'RigRegistered') {
        await flushChanges();
        const { rigId, serialNumber, model, facilityId, macAddress } = event.data;
        inserts.push({
          id: rigId,
          serialNumber,
          model,
          facilityId,
          status: 'received',
          rack: null,
          slot: null,
          macAddress: macAddress ?? null,
          version: recorded.streamVersion,
          registeredAt: at,
          updatedAt: at,
        });
        continue;
      }
      await flushInserts();
      if (changes.has(event.data.rigId)) await flushChanges();
      const change = { id: event.data.rigId, version: recorded.streamVersion, updatedAt: at };
      switch (event.type) {
        case 'RigInstalled':
          changes.set(change.id, {
            ...change,
            status: 'installed',
            rack: event.data.rack,
            slot: event.data.slot,
          });
          break;
        case 'RigSentToRepair':
          changes.set(change.id, { ...change, status: 'in_repair', rack: null, slot: null });
          break;
        case 'RigReturnedFromRepair':
          changes.set(change.id, { ...change, status: 'received', rack: null, slot: null });
          break;
        case 'RigDecommissioned':
          changes.set(change.id, { ...change, status: 'decommissioned', rack: null, slot: null });
          break;
        default: {
          // A new inventory event must say here what it does to the row (the compiler insists).
          const unhandled: never = event;
          throw new Error(`RigsProjection does not handle ${(unhandled as { type: string }).type}`);
        }
      }
    }
    await flushInserts();
    await flushChanges();
  }
}
