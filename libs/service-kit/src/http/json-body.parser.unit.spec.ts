import { jsonNestsDeeperThan } from './json-body.parser';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('jsonNestsDeeperThan', () => {
  it('measures the nesting of arrays and objects', () => {
    expect(jsonNestsDeeperThan(bytes('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('{"a":[{"b":[[1]]}]}'), 4)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('[[],[],{},[]]'), 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(bytes('{"a":"[[[{{{\\"[[[","b":"\\\\"}'), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('{"a":"\\\\","b":[1]}'), 1)).toBe(true);
  });

  it('finds a deep body in one pass, however deep', () => {
    expect(jsonNestsDeeperThan(bytes('['.repeat(200_000)), 64)).toBe(true);
    expect(jsonNestsDeeperThan(bytes(`["€😀",${'['.repeat(64)}${']'.repeat(64)}]`), 64)).toBe(true);
    expect(jsonNestsDeeperThan(bytes(`["€😀",${'['.repeat(63)}${']'.repeat(63)}]`), 64)).toBe(false);
  });
});
