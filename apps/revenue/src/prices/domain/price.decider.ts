import { compareDecimals, type CoinPriceFixed } from '@fleet/contracts';
import type { Decider } from '@fleet/event-sourcing';
import type { PriceCommand } from './price.commands';
import { priceAlreadyFixed } from './price.errors';
import { evolvePrice, initialPriceState, type PriceState } from './price.state';

/** A coin's fixing of a day: set once; the same figure again (even written "1.50" for "1.5") is a no-op. */
export const priceDecider: Decider<PriceCommand, PriceState, CoinPriceFixed> = {
  initialState: initialPriceState,
  evolve: evolvePrice,
  decide(command, state) {
    const { coin, date, usd } = command.data;
    if (state.usd === null) return [{ type: 'CoinPriceFixed', data: { coin, date, usd } }];
    if (compareDecimals(state.usd, usd) === 0) return [];
    throw priceAlreadyFixed(coin, date, state.usd, usd);
  },
};
