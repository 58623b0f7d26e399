import type { CoinPriceFixed } from '@fleet/contracts';
import { rowProjection } from '@fleet/event-sourcing';
import { priceRowIdOf, pricesTable, type PriceRow } from './price.entity';

/** `prices`: one row per coin and day, written once. */
export const PricesProjection = rowProjection<PriceRow, CoinPriceFixed>({
  name: 'prices',
  table: pricesTable,
  handles: ['CoinPriceFixed'],
  rowIdOf: (event) => priceRowIdOf(event.data.coin, event.data.date),
  evolve: (_row, event) => {
    const { coin, date, usd } = event.data;
    return { id: priceRowIdOf(coin, date), coin, date, usd };
  },
});
