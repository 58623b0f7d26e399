import { DomainError, UniquenessViolationError } from '@fleet/event-sourcing';
import type { MissingForClose } from './period.state';

/** Nothing is booked in a closed month; the handlers then book in the first open one. */
export function periodClosed(facilityId: string, period: string): DomainError {
  return new DomainError('conflict', 'period-closed', `${period} of facility ${facilityId} is closed`, {
    facilityId,
    period,
  });
}

const NAMED_IN_MESSAGE = 5;

/** The 409 of a close that comes too early: every payout without a fixing and every day without an energy cost. */
export class PeriodNotReadyError extends DomainError {
  constructor(facilityId: string, period: string, missing: MissingForClose) {
    const parts: string[] = [];
    const { payoutsWithoutFixing: payouts, daysWithoutEnergyCost: days } = missing;
    if (payouts.length > 0)
      parts.push(
        `${payouts.length} payouts have no price fixing (${payouts
          .slice(0, NAMED_IN_MESSAGE)
          .map((payout) => `${payout.coin} ${payout.day} ${payout.pool}/${payout.txid}`)
          .join(', ')}${payouts.length > NAMED_IN_MESSAGE ? ', …' : ''})`,
      );
    if (days.length > 0)
      parts.push(
        `${days.length} days have no energy cost (${days.slice(0, NAMED_IN_MESSAGE).join(', ')}${
          days.length > NAMED_IN_MESSAGE ? ', …' : ''
        })`,
      );
    super(
      'conflict',
      'period-not-ready',
      `${period} of facility ${facilityId} cannot be closed: ${parts.join('; ')}`,
      { facilityId, period, missing },
    );
  }
}

/** A coin amount the API refuses (a ninth decimal): a 400 naming the field. */
export function coinAmountRefused(error: unknown, field: string): DomainError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DomainError('invalid', 'invalid-coin-amount', `${field}: ${reason}`, { field });
}

/** Revenue has never booked anything for this facility. */
export function facilityNotFound(facilityId: string): DomainError {
  return new DomainError(
    'not_found',
    'facility-not-found',
    `nothing was ever booked for facility ${facilityId}`,
    {
      facilityId,
    },
  );
}

/** Another request booked the same (pool, txid) first; the handler retries and answers that booking. */
export function payoutBookedConcurrently(payout: {
  readonly pool: string;
  readonly txid: string;
}): DomainError {
  return new UniquenessViolationError(`payout ${payout.pool} ${payout.txid} was booked at the same time`, {
    pool: payout.pool,
    txid: payout.txid,
  });
}
