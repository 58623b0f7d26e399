import { type Decider, replay } from './decider';
import type { Event } from './event';

type Moved = Event<'Moved', { by: number }>;
const counter: Decider<never, number, Moved> = {
  initialState: () => 0,
  decide: () => [],
  evolve: (state, event) => state + event.data.by,
};
const moved = (by: number): Moved => ({ type: 'Moved', data: { by } });

describe('replay', () => {
  it('folds events over the initial state', () => {
    expect(replay(counter, [moved(2), moved(3)])).toBe(5);
    expect(replay(counter, [])).toBe(0);
  });

  it('continues from a given state, as after a snapshot', () => {
    expect(replay(counter, [moved(1)], 40)).toBe(41);
  });
});
