import type { ShipmentUnitsDamaged, ShipmentUnitsReceived } from '@fleet/contracts';
import {
  insertRows,
  isUniqueViolation,
  selectRows,
  type InlineProjection,
  type RecordedEvent,
} from '@fleet/event-sourcing';
import { serialReceivedConcurrently, serialsReceivedBefore } from '../domain/order.errors';
import { receivedSerialTable, type ReceivedSerialRow } from './received-serial.entity';

type ReceiptEvent = ShipmentUnitsReceived | ShipmentUnitsDamaged;

function rowsOf(recorded: RecordedEvent<ReceiptEvent>): ReceivedSerialRow[] {
  const { orderId, shipmentId, receiptId, facilityId, units } = recorded.data;
  const condition = recorded.type === 'ShipmentUnitsReceived' ? 'received' : 'damaged';
  return units.map((unit) => ({
    serialNumber: unit.serialNumber,
    model: unit.model,
    condition,
    orderId,
    shipmentId,
    receiptId,
    facilityId,
    receivedAt: recorded.metadata.occurredAt,
  }));
}

/**
 * Records every serial number received, intact or damaged, in `received_serials`, in the append's
 * transaction: a serial received before, in any order, fails the whole receipt with a 409 that names
 * the serials, and nothing is recorded. The lookup up front names every known serial at once; the
 * primary key stays the real guard against two receipts racing with the same serial. A constraint
 * table, not a fold: its rows are only ever inserted.
 */
export const ReceivedSerialsProjection: InlineProjection = {
  name: 'received-serials',
  handles: ['ShipmentUnitsReceived', 'ShipmentUnitsDamaged'],

  async apply(events, manager) {
    // The store passes only the event types in `handles`.
    const rows = (events as readonly RecordedEvent<ReceiptEvent>[]).flatMap(rowsOf);
    if (rows.length === 0) return;

    const known = await selectRows(manager, receivedSerialTable, ['serialNumber'], rows);
    if (known.length > 0) throw serialsReceivedBefore(known.map((row) => row.serialNumber).sort());
    try {
      await insertRows(manager, receivedSerialTable, rows);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another receipt with one of these serials committed after the lookup above.
      throw serialReceivedConcurrently();
    }
  },
};
