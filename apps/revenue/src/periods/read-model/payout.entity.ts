import type { Coin } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/**
 * A row of `payouts`: every payout ever booked, by (pool, txid). Its primary key is the last word
 * on "the same (pool, txid) is the same payout" across facilities and months.
 */
export interface PayoutRow {
  /** `payoutKeyOf(pool, txid)`. */
  id: string;
  facilityId: string;
  /** The month it is booked in. */
  period: string;
  pool: string;
  txid: string;
  coin: Coin;
  /** Base units. */
  amount: string;
  paidAt: string;
  periodStart: string;
  periodEnd: string;
  day: string;
  fixingUsd: string | null;
  /** Null until valued. */
  usd: string | null;
  lateFor: string | null;
  recordedAt: string;
}

export const PayoutEntity = new EntitySchema<PayoutRow>({
  name: 'PayoutEntity',
  tableName: 'payouts',
  columns: {
    id: { type: 'varchar', length: 200, primary: true, primaryKeyConstraintName: 'pk_payouts' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    period: { type: 'varchar', length: 7 },
    pool: { type: 'varchar', length: 64 },
    txid: { type: 'varchar', length: 128 },
    coin: { type: 'varchar', length: 8 },
    amount: { type: 'varchar', length: 32 },
    paidAt: { name: 'paid_at', type: 'varchar', length: 40 },
    periodStart: { name: 'period_start', type: 'varchar', length: 40 },
    periodEnd: { name: 'period_end', type: 'varchar', length: 40 },
    day: { type: 'varchar', length: 10 },
    fixingUsd: { name: 'fixing_usd', type: 'varchar', length: 32, nullable: true },
    usd: { type: 'varchar', length: 32, nullable: true },
    lateFor: { name: 'late_for', type: 'varchar', length: 7, nullable: true },
    recordedAt: { name: 'recorded_at', type: 'varchar', length: 32 },
  },
  indices: [
    { name: 'ix_payouts_coin_day', columns: ['coin', 'day'] },
    { name: 'ix_payouts_facility_day', columns: ['facilityId', 'day'] },
  ],
});

export const payoutsTable = tableOf(PayoutEntity);
