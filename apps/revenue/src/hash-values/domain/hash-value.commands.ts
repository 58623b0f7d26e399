import type { Coin } from '@fleet/contracts';

export interface PublishHashValue {
  readonly type: 'PublishHashValue';
  readonly data: {
    readonly coin: Coin;
    readonly date: string;
    readonly coinPerUnitPerDay: string;
    readonly unit: 'TH/s' | 'kSol/s';
  };
}

export type HashValueCommand = PublishHashValue;
