import type { CoinPriceFixed } from '@fleet/contracts';

/** A coin's fixing of one day: unset until it is fixed, then final. */
export interface PriceState {
  readonly usd: string | null;
}

export const initialPriceState = (): PriceState => ({ usd: null });

export function evolvePrice(_state: PriceState, event: CoinPriceFixed): PriceState {
  return { usd: event.data.usd };
}
