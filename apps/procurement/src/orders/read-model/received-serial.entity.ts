import { EntitySchema } from 'typeorm';
import { tableOf } from '@fleet/event-sourcing';

export type UnitCondition = 'received' | 'damaged';

/**
 * Row of `received_serials`: every serial number ever received, intact or damaged, across all
 * orders. Its primary key is what refuses a serial received a second time, in any order, even
 * under concurrent receipts; the decider only sees one order and cannot.
 */
export interface ReceivedSerialRow {
  serialNumber: string;
  model: string;
  condition: UnitCondition;
  orderId: string;
  shipmentId: string;
  receiptId: string;
  facilityId: string;
  receivedAt: string;
}

export const ReceivedSerialEntity = new EntitySchema<ReceivedSerialRow>({
  name: 'ReceivedSerialEntity',
  tableName: 'received_serials',
  columns: {
    serialNumber: { name: 'serial_number', type: 'varchar', length: 64, primary: true },
    model: { type: 'varchar', length: 64 },
    condition: { type: 'varchar', length: 16 },
    orderId: { name: 'order_id', type: 'varchar', length: 36 },
    shipmentId: { name: 'shipment_id', type: 'varchar', length: 36 },
    receiptId: { name: 'receipt_id', type: 'varchar', length: 36 },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    receivedAt: { name: 'received_at', type: 'varchar', length: 40 },
  },
});

export const receivedSerialTable = tableOf(ReceivedSerialEntity);
