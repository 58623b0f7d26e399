import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ShipmentUnitsDamaged, ShipmentUnitsReceived } from '@fleet/contracts';
import {
  isUniqueViolation,
  UniquenessViolationError,
  type InlineProjection,
  type RecordedEvent,
} from '@fleet/event-sourcing';
import type { ReceivedSerialRow } from './read-model/received-serials.entity';
import { receivedSerialsSqlOf } from './read-model/received-serials.sql';

function listed(serials: readonly string[]): string {
  const shown = serials.slice(0, 20).join(', ');
  return serials.length > 20 ? `${shown} and ${serials.length - 20} more` : shown;
}

/**
 * Records every serial number received, intact or damaged, in `received_serials`, in the append's
 * transaction: a serial received before, in any order, fails the whole receipt with a 409 that names
 * the serials, and nothing is recorded. The lookup up front names every known serial at once; the
 * primary key stays the real guard against two receipts racing with the same serial.
 */
@Injectable()
export class ReceivedSerialsProjection implements InlineProjection {
  readonly name = 'received-serials';
  readonly handles = ['ShipmentUnitsReceived', 'ShipmentUnitsDamaged'] as const;

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const rows = events.flatMap((recorded): ReceivedSerialRow[] => {
      const event = { type: recorded.type, data: recorded.data } as
        ShipmentUnitsReceived | ShipmentUnitsDamaged;
      const { orderId, shipmentId, receiptId, facilityId } = event.data;
      const condition = event.type === 'ShipmentUnitsReceived' ? 'received' : 'damaged';
      return event.data.units.map((unit) => ({
        serialNumber: unit.serialNumber,
        model: unit.model,
        condition,
        orderId,
        shipmentId,
        receiptId,
        facilityId,
        receivedAt: recorded.metadata.occurredAt,
      }));
    });
    if (rows.length === 0) return;

    const sql = receivedSerialsSqlOf(manager);
    const known = await sql.findKnown(
      manager,
      rows.map((row) => row.serialNumber),
    );
    if (known.length > 0) {
      known.sort();
      throw new UniquenessViolationError(`serial numbers received before: ${listed(known)}`, {
        serials: known,
      });
    }
    try {
      await sql.insert(manager, rows);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another receipt with one of these serials committed after the lookup above.
      throw new UniquenessViolationError(
        'a serial number of this receipt was received by another receipt at the same moment; retry to see which',
        { serials: [] },
      );
    }
  }
}
