/** One stream per coin and day: what a unit of hashrate earned. */
export function hashValueStreamId(coin: string, date: string): string {
  return `hash-value-${coin}-${date}`;
}

export const HASH_VALUE_STREAM_TYPE = 'hash-value';
