import type { DataSource } from 'typeorm';

/**
 * How many events the store holds, committed. Not `headPosition()`: on PostgreSQL that stops
 * below any transaction still open (the relay's, another request's), so it can move while nothing
 * is appended, and it would make "appended nothing" assertions flaky.
 */
export async function eventCount(dataSource: DataSource): Promise<number> {
  const [row] = (await dataSource.query('SELECT COUNT(*) AS count FROM events')) as {
    count: number | string;
  }[];
  return Number(row.count);
}
