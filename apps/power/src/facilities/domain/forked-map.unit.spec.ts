import { ForkedMap } from './forked-map';

/** A random walk of sets and deletes over forks of forks, checked against a plain map at every step. */
describe('ForkedMap', () => {
  it('reads like a plain map through every fork, and never changes the map it came from', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    let plain = new Map<number, string>(Array.from({ length: 200 }, (_, key) => [key, `v${key}`] as const));
    let forked: ReadonlyMap<number, string> = ForkedMap.fork(new Map(plain));
    for (let step = 0; step < 200; step++) {
      const before = new Map(forked);
      const draft = ForkedMap.fork(forked);
      const next = new Map(plain);
      for (let change = 0; change < 1 + random(6); change++) {
        const key = random(260);
        if (random(3) === 0) expect(draft.delete(key)).toBe(next.delete(key));
        else {
          draft.set(key, `s${step}`);
          next.set(key, `s${step}`);
        }
      }
      // The fork's source is untouched.
      expect(new Map(forked)).toEqual(before);
      expect(draft.size).toBe(next.size);
      expect(new Map(draft)).toEqual(next);
      const keys = Array.from({ length: 260 }, (_, key) => key);
      expect(keys.map((key) => [draft.has(key), draft.get(key)])).toEqual(
        keys.map((key) => [next.has(key), next.get(key)]),
      );
      expect([...draft.keys()].sort()).toEqual([...next.keys()].sort());
      forked = draft;
      plain = next;
    }
  });

  it('equals, to Jest, another with the same entries however each was built', () => {
    const built = ForkedMap.fork(new Map([['a', 1]]));
    built.set('b', 2);
    const again = ForkedMap.fork(built);
    again.delete('a');
    again.set('a', 1);
    expect(again).toEqual(
      ForkedMap.fork(
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
      ),
    );
    expect(again).not.toEqual(ForkedMap.fork(new Map([['a', 1]])));
  });
});
