/**
 * An event the relay cannot publish as it is (larger than the server's max payload, a facility id
 * that is not one subject token). The relay stops at it, never skips it: it stays blocked, saying
 * why, until someone fixes the cause (raise `max_payload`, or change the code that wrote it).
 */
export class UnpublishableEventError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly position: bigint,
    readonly reason: string,
  ) {
    super(`event ${eventId} (${eventType}, position ${position}) cannot be published: ${reason}`);
    this.name = 'UnpublishableEventError';
  }
}
