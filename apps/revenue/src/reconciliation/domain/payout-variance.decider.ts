import type { PayoutVarianceFlagged } from '@fleet/contracts';
import type { Decider } from '@fleet/event-sourcing';

/** One stream per facility, coin, pool and day: the variance flagged last. */
export function payoutVarianceStreamId(facilityId: string, coin: string, pool: string, day: string): string {
  return `payout-variance-${facilityId}-${coin}-${day}-${pool}`;
}

export const PAYOUT_VARIANCE_STREAM_TYPE = 'payout-variance';

/** The figures of a day and pool beyond tolerance (the event's data less its revision). */
export type VarianceFigures = Omit<PayoutVarianceFlagged['data'], 'revision'>;

export interface FlagPayoutVariance {
  readonly type: 'FlagPayoutVariance';
  readonly data: VarianceFigures;
}

export interface PayoutVarianceState {
  readonly flagged: PayoutVarianceFlagged['data'] | null;
}

/**
 * Flags a day and pool beyond tolerance once per set of figures: the same figures again append
 * nothing (the sweep runs often), changed figures (a late payout, a later rig-time event) a new
 * revision.
 */
export const payoutVarianceDecider: Decider<FlagPayoutVariance, PayoutVarianceState, PayoutVarianceFlagged> =
  {
    initialState: () => ({ flagged: null }),
    evolve: (_state, event) => ({ flagged: event.data }),
    decide(command, state) {
      const { flagged } = state;
      const figures = command.data;
      if (
        flagged &&
        flagged.expectedAmount === figures.expectedAmount &&
        flagged.receivedAmount === figures.receivedAmount &&
        flagged.tolerancePercent === figures.tolerancePercent
      )
        return [];
      return [
        { type: 'PayoutVarianceFlagged', data: { ...figures, revision: (flagged?.revision ?? 0) + 1 } },
      ];
    },
  };
