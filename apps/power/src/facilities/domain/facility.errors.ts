import { DomainError } from '@fleet/event-sourcing';

export function facilityNotFound(facilityId: string): DomainError {
  return new DomainError(
    'not_found',
    'facility-not-found',
    `facility ${facilityId} has no power record yet (PUT /facilities/${facilityId}/capacity first)`,
    { facilityId },
  );
}
