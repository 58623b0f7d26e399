import type { z } from 'zod';
import type { DamagedUnit, Money, ReceivedUnit } from '@fleet/contracts';

/**
 * Commands of the purchase-order aggregate. Everything a decision needs is in the command, ids and
 * clock included (the controller generates them), so `decide` stays a pure function.
 */
export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly data: {
    readonly orderId: string;
    readonly facilityId: string;
    readonly vendor: string;
    readonly lines: readonly {
      readonly model: string;
      readonly quantity: number;
      readonly unitPrice: Money;
    }[];
    readonly expectedDelivery?: string;
  };
}

export interface DispatchShipment {
  readonly type: 'DispatchShipment';
  readonly data: {
    readonly orderId: string;
    readonly shipmentId: string;
    readonly lines: readonly { readonly model: string; readonly quantity: number }[];
    readonly carrier?: string;
    readonly trackingNumber?: string;
    readonly eta: string;
  };
}

export interface DelayShipment {
  readonly type: 'DelayShipment';
  readonly data: {
    readonly orderId: string;
    readonly shipmentId: string;
    readonly eta: string;
    readonly reason: string;
  };
}

export interface ReceiveShipment {
  readonly type: 'ReceiveShipment';
  readonly data: {
    readonly orderId: string;
    readonly shipmentId: string;
    readonly receiptId: string;
    readonly units: readonly z.infer<typeof ReceivedUnit>[];
    readonly damaged: readonly z.infer<typeof DamagedUnit>[];
    /** ISO-8601 instant of the receipt; becomes `fulfilledAt` when it completes the order. */
    readonly receivedAt: string;
  };
}

export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly data: {
    readonly orderId: string;
    readonly reason?: string;
    /** ISO-8601 instant; becomes `fulfilledAt` when cancelling the rest completes the order. */
    readonly cancelledAt: string;
  };
}

export type OrderCommand = PlaceOrder | DispatchShipment | DelayShipment | ReceiveShipment | CancelOrder;
