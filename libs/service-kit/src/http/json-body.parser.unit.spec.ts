import { jsonBreaksLimit, jsonNestsDeeperThan } from './json-body.parser';

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

describe('jsonBreaksLimit', () => {
  const valuesIn = (text: string, maxValues: number) =>
    jsonBreaksLimit(bytes(text), { maxDepth: 64, maxValues });

  it('counts the body, every array element and every object member', () => {
    // The body, a member, three elements, a member in the first: 6.
    const text = '{"units": [{"serial": "a"}, 2, "x"]}';
    expect(valuesIn(text, 6)).toBeUndefined();
    expect(valuesIn(text, 5)).toBe('too-many-values');
  });

  it('counts empty arrays and objects as one value each, whitespace or not', () => {
    expect(valuesIn('[ [ ], { }, [\n] ]', 4)).toBeUndefined();
    expect(valuesIn('[ [ ], { }, [\n] ]', 3)).toBe('too-many-values');
    expect(valuesIn('{}', 1)).toBeUndefined();
  });

  it('ignores commas and brackets inside strings, escaped quotes included', () => {
    // The body and three elements.
    const text = '["a,b,c", "[1,{2}]", "q\\",uote"]';
    expect(valuesIn(text, 4)).toBeUndefined();
    expect(valuesIn(text, 3)).toBe('too-many-values');
  });

  it('stops at the first limit it breaks', () => {
    const wide = `[${'[],'.repeat(1000)}${'['.repeat(100)}`;
    expect(jsonBreaksLimit(bytes(wide), { maxDepth: 64, maxValues: 10 })).toBe('too-many-values');
    const deep = `${'['.repeat(100)}${'[],'.repeat(1000)}`;
    expect(jsonBreaksLimit(bytes(deep), { maxDepth: 64, maxValues: 1000 })).toBe('too-deep');
  });
});
