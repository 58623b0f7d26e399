import type { HashValuePublished } from '@fleet/contracts';
import { deciderSpec } from '@fleet/event-sourcing/testing';
import { hashValueDecider } from './hash-value.decider';

const spec = deciderSpec(hashValueDecider);
const published: HashValuePublished = {
  type: 'HashValuePublished',
  data: { coin: 'BTC', date: '2026-11-01', coinPerUnitPerDay: '0.00000051', unit: 'TH/s' },
};

describe('a hash value', () => {
  it('is published once, and the same value again is a no-op', () => {
    spec.given([]).when({ type: 'PublishHashValue', data: published.data }).then([published]);
    spec
      .given([published])
      .when({ type: 'PublishHashValue', data: { ...published.data, coinPerUnitPerDay: '0.000000510' } })
      .then([]);
  });

  it('refuses another value or another unit for the same coin and day', () => {
    spec
      .given([published])
      .when({ type: 'PublishHashValue', data: { ...published.data, coinPerUnitPerDay: '0.00000052' } })
      .thenThrows('conflict', 'hash-value-already-published');
    spec
      .given([published])
      .when({ type: 'PublishHashValue', data: { ...published.data, unit: 'kSol/s' } })
      .thenThrows('conflict', 'hash-value-already-published');
  });
});
