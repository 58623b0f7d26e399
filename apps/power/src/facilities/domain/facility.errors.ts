import { DomainError } from '@fleet/event-sourcing';

export function facilityNotFound(facilityId: string): DomainError {
  return new DomainError(
    'not_found',
    'facility-not-found',
    `facility ${facilityId} has no power record yet (PUT /facilities/${facilityId}/capacity first)`,
    { facilityId },
  );
}

export function curtailmentOver(facilityId: string, endsAt: string): DomainError {
  return new DomainError(
    'invalid',
    'curtailment-over',
    `a curtailment ending at ${endsAt} would be over already`,
    {
      facilityId,
      endsAt,
    },
  );
}

export function curtailmentNotFound(facilityId: string, curtailmentId: string): DomainError {
  return new DomainError(
    'not_found',
    'curtailment-not-found',
    `facility ${facilityId} has no curtailment ${curtailmentId}`,
    { facilityId, curtailmentId },
  );
}
