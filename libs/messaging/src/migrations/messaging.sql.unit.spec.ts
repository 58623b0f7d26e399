import { nowMsOf } from './messaging.sql';

describe('nowMsOf', () => {
  it("is each database's clock in milliseconds, as a raw SQL fragment", () => {
    expect(nowMsOf('postgres')()).toBe('(extract(epoch from clock_timestamp()) * 1000)::bigint');
    expect(nowMsOf('sqlite')()).toBe("CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)");
  });
});
