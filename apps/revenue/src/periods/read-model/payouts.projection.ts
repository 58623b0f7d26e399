import type { PayoutReceived, PayoutValued } from '@fleet/contracts';
import { rowProjection, type RecordedEvent } from '@fleet/event-sourcing';
import { payoutBookedConcurrently } from '../domain/period.errors';
import { payoutKeyOf } from '../domain/period-id';
import { payoutsTable, type PayoutRow } from './payout.entity';

function receivedRow(event: RecordedEvent<PayoutReceived>): PayoutRow {
  const {
    facilityId,
    period,
    pool,
    txid,
    coin,
    amount,
    paidAt,
    periodStart,
    periodEnd,
    day,
    fixingUsd,
    usd,
    entry,
  } = event.data;
  return {
    id: payoutKeyOf(event.data),
    facilityId,
    period,
    pool,
    txid,
    coin,
    amount,
    paidAt,
    periodStart,
    periodEnd,
    day,
    fixingUsd,
    usd,
    lateFor: entry.lateFor ?? null,
    recordedAt: event.metadata.occurredAt,
  };
}

/**
 * `payouts`, one row per (pool, txid), in the append's transaction. A second booking of the same
 * payout (in another month's stream, by a concurrent request) is refused here or by the primary
 * key; the handler then answers the first.
 */
export const PayoutsProjection = rowProjection<PayoutRow, PayoutReceived | PayoutValued>({
  name: 'payouts',
  table: payoutsTable,
  handles: ['PayoutReceived', 'PayoutValued'],
  rowIdOf: (event) => payoutKeyOf(event.data),
  evolve: (row, event) => {
    if (event.type === 'PayoutReceived') {
      // Booked in another month's stream by a writer that committed first: refused, and the
      // handler answers the first booking. (A writer still uncommitted makes the insert fail instead.)
      if (row) throw payoutBookedConcurrently(row);
      return receivedRow(event);
    }
    if (!row) return null;
    return { ...row, fixingUsd: event.data.fixingUsd, usd: event.data.usd };
  },
});
