import { bind } from './messaging.sql';

describe('bind', () => {
  it('keeps PostgreSQL placeholders and the clock expression', () => {
    const [sql, parameters] = bind('postgres', 'UPDATE t SET a = $2, at = {now_ms} WHERE k = $1', ['k', 'a']);
    expect(sql).toBe(
      'UPDATE t SET a = $2, at = (extract(epoch from clock_timestamp()) * 1000)::bigint WHERE k = $1',
    );
    expect(parameters).toEqual(['k', 'a']);
  });

  it('rewrites placeholders for SQLite in order of appearance, repeating reused ones', () => {
    const [sql, parameters] = bind('sqlite', 'SELECT $2, $1, $2, $10', ['a', 'b', 3, 4, 5, 6, 7, 8, 9, 'j']);
    expect(sql).toBe('SELECT ?, ?, ?, ?');
    expect(parameters).toEqual(['b', 'a', 'b', 'j']);
  });
});
