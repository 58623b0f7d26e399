import { RpcException } from '@nestjs/microservices';
import { ZodError } from 'zod';

/** What a `PoisonMessageError` becomes after Nest's default RPC exception filter. */
export interface PoisonMessageReport {
  readonly status: 'error';
  readonly message: string;
  readonly poison: true;
}

/**
 * Thrown by a handler for a message that can never succeed (its data breaks the schema, it refers
 * to something that will never exist): the consumer dead-letters it at once instead of retrying.
 *
 * An `RpcException`, so that even Nest's default filter, which reduces every other error to
 * "Internal server error", passes its text and its poison mark on to the transport.
 */
export class PoisonMessageError extends RpcException {
  constructor(message: string, options?: { cause?: unknown }) {
    super({ status: 'error', message, poison: true } satisfies PoisonMessageReport);
    this.name = 'PoisonMessageError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Failures that no retry can fix: a `PoisonMessageError` (as thrown or as Nest reports it) or a zod error. */
export function isPoisonMessageFailure(error: unknown): boolean {
  if (error instanceof PoisonMessageError || error instanceof ZodError) return true;
  return (
    typeof error === 'object' && error !== null && (error as Partial<PoisonMessageReport>).poison === true
  );
}
