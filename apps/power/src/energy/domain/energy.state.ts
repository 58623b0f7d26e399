import type { EnergyCostBasis, PowerEvent } from '@fleet/contracts';

/** The figure last published for a day. */
export interface AccruedDay {
  readonly revision: number;
  readonly kwh: string;
  readonly usd: string;
  readonly basis: EnergyCostBasis;
}

/**
 * A facility's energy as its stream leaves it. Readings, prices and tariffs live in the read model
 * (the commands bring what they touch); the state keeps what the decisions need: each day's
 * latest published cost.
 */
export interface EnergyState {
  readonly facilityId: string | null;
  readonly accrued: ReadonlyMap<string, AccruedDay>;
  /** The latest day published (days are published in order, so every day up to it is). */
  readonly accruedThrough: string | null;
}

export const initialEnergyState = (): EnergyState => ({
  facilityId: null,
  accrued: new Map(),
  accruedThrough: null,
});

export function evolveEnergy(state: EnergyState, event: PowerEvent): EnergyState {
  const facilityId = state.facilityId ?? event.data.facilityId;
  switch (event.type) {
    case 'EnergyCostAccrued': {
      const { day, revision, kwh, usd, basis } = event.data;
      const accrued = new Map(state.accrued).set(day, { revision, kwh, usd, basis });
      const through =
        state.accruedThrough === null || day > state.accruedThrough ? day : state.accruedThrough;
      return { ...state, facilityId, accrued, accruedThrough: through };
    }
    default:
      return { ...state, facilityId };
  }
}
