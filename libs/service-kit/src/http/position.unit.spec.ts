import { PositionString } from './position';

describe('PositionString', () => {
  it('takes every position a PostgreSQL bigint holds', () => {
    for (const position of ['0', '1', '42', '9223372036854775807'])
      expect(PositionString.parse(position)).toBe(position);
  });

  it.each([
    '',
    'abc',
    '-1',
    '1.5',
    ' 1',
    '1e3',
    '9223372036854775808',
    '9999999999999999999',
    '1'.repeat(20),
  ])('refuses %j with an issue rather than an exception', (text) => {
    const result = PositionString.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^a position: /);
  });
});
