import type { PoolAssigned } from '@fleet/contracts';
import { deciderSpec } from '@fleet/event-sourcing/testing';
import { payoutVarianceDecider } from './payout-variance.decider';
import { poolAssignmentDecider } from './pool-assignment.decider';

const facilityId = 'us-tx-01';
const assigned = (pool: string, hashrateShare: string): PoolAssigned => ({
  type: 'PoolAssigned',
  data: { facilityId, pool, coin: 'ZEC', hashrateShare },
});

describe('pool assignment decider', () => {
  const spec = deciderSpec(poolAssignmentDecider);

  it('assigns, and takes the same share again as a no-op', () => {
    spec
      .given([])
      .when({ type: 'AssignPool', data: assigned('F2Pool', '0.7').data })
      .then([assigned('F2Pool', '0.7')]);
    spec
      .given([assigned('F2Pool', '0.7')])
      .when({ type: 'AssignPool', data: assigned('F2Pool', '0.70').data })
      .then([]);
  });

  it('refuses shares of a coin adding up to more than the whole, counting a pool once', () => {
    spec
      .given([assigned('F2Pool', '0.7')])
      .when({ type: 'AssignPool', data: assigned('Flypool', '0.4').data })
      .thenThrows('conflict', 'pool-shares-exceed-hashrate');
    spec
      .given([assigned('F2Pool', '0.7'), assigned('Flypool', '0.3')])
      .when({ type: 'AssignPool', data: assigned('F2Pool', '0.5').data })
      .then([assigned('F2Pool', '0.5')]);
  });
});

describe('payout variance decider', () => {
  const spec = deciderSpec(payoutVarianceDecider);
  const figures = {
    facilityId,
    pool: 'Foundry',
    coin: 'BTC' as const,
    day: '2026-11-02',
    expectedAmount: '2200000',
    receivedAmount: '2100000',
    varianceAmount: '-100000',
    variancePercent: '-4.55',
    tolerancePercent: '3',
  };

  it('flags once per set of figures, with a new revision when they change', () => {
    const first = { type: 'PayoutVarianceFlagged' as const, data: { ...figures, revision: 1 } };
    spec.given([]).when({ type: 'FlagPayoutVariance', data: figures }).then([first]);
    spec.given([first]).when({ type: 'FlagPayoutVariance', data: figures }).then([]);
    const changed = {
      ...figures,
      receivedAmount: '2000000',
      varianceAmount: '-200000',
      variancePercent: '-9.09',
    };
    spec
      .given([first])
      .when({ type: 'FlagPayoutVariance', data: changed })
      .then([{ type: 'PayoutVarianceFlagged', data: { ...changed, revision: 2 } }]);
  });
});
