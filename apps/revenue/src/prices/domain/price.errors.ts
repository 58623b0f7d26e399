import { DomainError } from '@fleet/event-sourcing';

/**
 * A fixing is final: payouts were valued at it and months may be closed on it. A different figure
 * for the same coin and day is refused rather than silently revaluing booked entries.
 */
export function priceAlreadyFixed(coin: string, date: string, fixed: string, asked: string): DomainError {
  return new DomainError(
    'conflict',
    'price-already-fixed',
    `the ${coin} fixing of ${date} is ${fixed} USD; it cannot become ${asked}`,
    { coin, date, fixedUsd: fixed, requestedUsd: asked },
  );
}
