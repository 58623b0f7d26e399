export * from './event';
export * from './decider';
export * from './errors';
export * from './event-store';
export * from './upcasting';
export * from './command-handler';
export * from './retry-on-conflict';
export {
  openDatabase,
  type DatabaseOptions,
  type EntityEntry,
  type MigrationEntry,
} from './database/open-database';
export { dialectOf, type Dialect } from './database/dialect';
export {
  bindParameters,
  chunksOf,
  ROWS_PER_STATEMENT,
  SqlParameters,
  SQLITE_MAX_PARAMETERS,
} from './database/sql';
export { isUniqueViolation } from './database/unique-violation';
export { readCommitted, withDatabaseLock } from './database/database-lock';
export { eventStoreMigrations, type MigrationClass } from './migrations/event-store.migrations';
export { createEventStore, type EventStoreOptions } from './store/typeorm-event-store';
