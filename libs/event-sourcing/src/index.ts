export * from './event';
export * from './decider';
export * from './errors';
export * from './event-store';
export * from './upcasting';
export * from './commands/handle-command';
export * from './commands/handle-commands';
export * from './commands/command-target';
export * from './commands/load-aggregate';
export * from './commands/snapshot-policy';
export * from './commands/retry-on-conflict';
export * from './projections/row-projection';
export * from './projections/rebuildable-projection';
export {
  openDatabase,
  type DatabaseOptions,
  type EntityEntry,
  type MigrationEntry,
} from './database/open-database';
export { dialectOf, type Dialect } from './database/dialect';
export { chunksOf, ROWS_PER_STATEMENT, SqlParameters, SQLITE_MAX_PARAMETERS } from './database/sql';
export {
  columnList,
  columnsOf,
  decodeRow,
  encodeValue,
  tableOf,
  type ColumnKind,
  type RowColumn,
  type RowTable,
  type SqlColumn,
} from './database/rows/row-table';
export {
  deleteRows,
  insertRows,
  queryWithValues,
  selectList,
  selectRows,
  updateRows,
} from './database/rows/bulk-rows';
export { isCancelledWait, isUniqueViolation } from './database/unique-violation';
export { readCommitted, withDatabaseLock } from './database/database-lock';
export { withIndexesDeferred } from './database/deferred-indexes';
export { queryPrepared } from './database/prepared-query';
export { runInSharedTransaction, sharedSessionOf } from './database/shared-transaction';
export { eventStoreMigrations, type MigrationClass } from './migrations/event-store.migrations';
export { createEventStore, type EventStoreOptions } from './store/typeorm-event-store';
export { traceContextOfEvent, withActiveTraceContext } from './tracing/trace-context';
