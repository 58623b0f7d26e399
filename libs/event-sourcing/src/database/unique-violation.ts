import { QueryFailedError } from 'typeorm';

interface DriverError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

/** PostgreSQL's SQLSTATE for unique_violation. */
const POSTGRES_UNIQUE_VIOLATION = '23505';
/** better-sqlite3 reports SQLite's extended result codes by name. */
const SQLITE_UNIQUE_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** The driver's own error under TypeORM's `QueryFailedError` wrapper. */
export function driverErrorOf(error: unknown): DriverError | undefined {
  const inner = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  return typeof inner === 'object' && inner !== null ? (inner as DriverError) : undefined;
}

/**
 * True when a unique constraint or primary key refused a write, on PostgreSQL (pg) or SQLite
 * (better-sqlite3), whether or not TypeORM wrapped the error. Projections use it to turn a
 * duplicate into a `UniquenessViolationError`.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverErrorOf(error)?.code;
  return (
    code === POSTGRES_UNIQUE_VIOLATION || (typeof code === 'string' && SQLITE_UNIQUE_VIOLATIONS.has(code))
  );
}

/** PostgreSQL's SQLSTATEs for query_canceled (statement_timeout) and lock_not_available (lock_timeout). */
const POSTGRES_WAIT_CANCELLED = new Set(['57014', '55P03']);

/** True when PostgreSQL gave up a statement that waited too long (for another transaction's row). */
export function isCancelledWait(error: unknown): boolean {
  const code = driverErrorOf(error)?.code;
  return typeof code === 'string' && POSTGRES_WAIT_CANCELLED.has(code);
}
