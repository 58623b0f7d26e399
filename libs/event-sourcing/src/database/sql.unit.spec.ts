import { chunksOf, SqlParameters } from './sql';

describe('raw SQL helpers', () => {
  it('cuts a list into chunks of at most the given size, in order', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 2)).toEqual([]);
    expect(() => chunksOf([1], 0)).toThrow(/at least 1/);
  });

  it("hands out each dialect's placeholders", () => {
    const postgres = new SqlParameters('postgres');
    expect([postgres.add('a'), postgres.add(2)]).toEqual(['$1', '$2']);
    expect(postgres.values).toEqual(['a', 2]);
    const sqlite = new SqlParameters('sqlite');
    expect([sqlite.add('a'), sqlite.add(2)]).toEqual(['?', '?']);
    expect(sqlite.values).toEqual(['a', 2]);
  });
});
