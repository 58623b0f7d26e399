export * from './event';
export * from './decider';
export * from './errors';
export * from './event-store';
export * from './upcasting';
export * from './command-handler';
export {
  openDatabase,
  type DatabaseOptions,
  type EntityEntry,
  type MigrationEntry,
} from './database/open-database';
export { dialectOf, type Dialect } from './database/dialect';
export { isUniqueViolation } from './database/unique-violation';
export { withDatabaseLock } from './database/database-lock';
export { eventStoreMigrations, type MigrationClass } from './migrations/event-store.migrations';
export { createEventStore, type EventStoreOptions } from './store/typeorm-event-store';
