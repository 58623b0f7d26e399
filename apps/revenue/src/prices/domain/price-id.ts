/** One stream per coin and day: its fixing. */
export function priceStreamId(coin: string, date: string): string {
  return `price-${coin}-${date}`;
}

export const PRICE_STREAM_TYPE = 'price';
