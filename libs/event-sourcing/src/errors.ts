/**
 * Domain errors carry a kind that the HTTP layer maps to a status (service-kit's problem+json
 * filter): invalid → 400, not_found → 404, conflict → 409, precondition_failed → 412.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'precondition_failed';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable, machine-readable: `order-not-found`, `rig-status-forbids-install`. */
    readonly code: string,
    message: string,
    /** Extra members for the problem document, e.g. the rows that failed. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Another writer appended to the stream first. Retried by `handleCommand`, 409 when retries run out. */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | 'no_stream' | 'any',
    readonly actualVersion?: number,
  ) {
    super(
      'conflict',
      'concurrent-modification',
      `stream ${streamId} was changed concurrently (expected version ${String(expectedVersion)}${
        actualVersion === undefined ? '' : `, found ${actualVersion}`
      })`,
    );
  }
}

/** The client's `If-Match` names a version that is no longer current. */
export class VersionMismatchError extends DomainError {
  constructor(streamId: string, expected: number, actual: number) {
    super(
      'precondition_failed',
      'version-mismatch',
      `resource ${streamId} is at version ${actual}, not ${expected}`,
      { expectedVersion: expected, actualVersion: actual },
    );
  }
}

/** A unique constraint of an inline projection refused the append (e.g. a serial seen before). */
export class UniquenessViolationError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', 'uniqueness-violation', message, details);
  }
}
