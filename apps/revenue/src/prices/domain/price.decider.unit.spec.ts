import type { CoinPriceFixed } from '@fleet/contracts';
import { deciderSpec } from '@fleet/event-sourcing/testing';
import { priceDecider } from './price.decider';

const spec = deciderSpec(priceDecider);
const fixed: CoinPriceFixed = {
  type: 'CoinPriceFixed',
  data: { coin: 'BTC', date: '2026-11-01', usd: '91234.5' },
};

describe('a coin fixing', () => {
  it('is fixed once', () => {
    spec.given([]).when({ type: 'FixPrice', data: fixed.data }).then([fixed]);
  });

  it('takes the same figure again as a no-op, however it is written', () => {
    spec
      .given([fixed])
      .when({ type: 'FixPrice', data: { ...fixed.data, usd: '91234.50' } })
      .then([]);
  });

  it('refuses another figure for the same coin and day', () => {
    const error = spec
      .given([fixed])
      .when({ type: 'FixPrice', data: { ...fixed.data, usd: '91000' } })
      .thenThrows('conflict', 'price-already-fixed');
    expect(error.message).toBe('the BTC fixing of 2026-11-01 is 91234.5 USD; it cannot become 91000');
  });
});
