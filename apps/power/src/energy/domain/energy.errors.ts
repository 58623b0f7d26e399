import { DomainError } from '@fleet/event-sourcing';

/** Energy is recorded for facilities power knows: those with a capacity record. */
export function facilityNotFound(facilityId: string): DomainError {
  return new DomainError(
    'not_found',
    'facility-not-found',
    `facility ${facilityId} has no power record yet (PUT /facilities/${facilityId}/capacity first)`,
    { facilityId },
  );
}
