import type { Coin } from '@fleet/contracts';

export interface FixPrice {
  readonly type: 'FixPrice';
  readonly data: { readonly coin: Coin; readonly date: string; readonly usd: string };
}

export type PriceCommand = FixPrice;
