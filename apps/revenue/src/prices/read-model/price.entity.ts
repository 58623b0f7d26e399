import type { Coin } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `prices`: a coin's USD fixing of one day. */
export interface PriceRow {
  /** `<coin>/<date>`. */
  id: string;
  coin: Coin;
  date: string;
  usd: string;
}

export const PriceEntity = new EntitySchema<PriceRow>({
  name: 'PriceEntity',
  tableName: 'prices',
  columns: {
    id: { type: 'varchar', length: 20, primary: true, primaryKeyConstraintName: 'pk_prices' },
    coin: { type: 'varchar', length: 8 },
    date: { type: 'varchar', length: 10 },
    usd: { type: 'varchar', length: 32 },
  },
});

export const pricesTable = tableOf(PriceEntity);

export function priceRowIdOf(coin: string, date: string): string {
  return `${coin}/${date}`;
}
