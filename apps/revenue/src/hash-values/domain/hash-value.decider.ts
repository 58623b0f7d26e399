import { compareDecimals, type HashValuePublished } from '@fleet/contracts';
import type { Decider } from '@fleet/event-sourcing';
import type { HashValueCommand } from './hash-value.commands';
import { hashValueAlreadyPublished } from './hash-value.errors';
import { evolveHashValue, initialHashValueState, type HashValueState } from './hash-value.state';

/** A coin's hash value of a day: published once; the same value again is a no-op. */
export const hashValueDecider: Decider<HashValueCommand, HashValueState, HashValuePublished> = {
  initialState: initialHashValueState,
  evolve: evolveHashValue,
  decide(command, state) {
    const { published } = state;
    if (published === null) return [{ type: 'HashValuePublished', data: command.data }];
    const same =
      published.unit === command.data.unit &&
      compareDecimals(published.coinPerUnitPerDay, command.data.coinPerUnitPerDay) === 0;
    if (same) return [];
    throw hashValueAlreadyPublished(published, command.data);
  },
};
