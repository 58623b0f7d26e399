/** One stream per facility and month: what is booked in it, and its close. */
export function periodStreamId(facilityId: string, month: string): string {
  return `period-${facilityId}-${month}`;
}

export const PERIOD_STREAM_TYPE = 'period';

/** How a payout is known: the same (pool, txid) is the same payout, whatever else is sent with it. */
export function payoutKeyOf(payout: { readonly pool: string; readonly txid: string }): string {
  return `${payout.pool}/${payout.txid}`;
}
