import type { DataSource } from 'typeorm';

/** The two databases the event store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** Which of Fleet's two databases a DataSource talks to; anything else is refused. */
export function dialectOf(dataSource: Pick<DataSource, 'options'>): Dialect {
  switch (dataSource.options.type) {
    case 'better-sqlite3':
      return 'sqlite';
    case 'postgres':
      return 'postgres';
    default:
      throw new Error(
        `the event store runs on PostgreSQL or SQLite (better-sqlite3), not ${dataSource.options.type}`,
      );
  }
}
