import { DomainError } from '@fleet/event-sourcing';
import type { HashValueState } from './hash-value.state';

/** Hash values are final, as fixings are: reconciliation compares payouts against them. */
export function hashValueAlreadyPublished(
  published: NonNullable<HashValueState['published']>,
  asked: { readonly coinPerUnitPerDay: string; readonly unit: string },
): DomainError {
  const { coin, date } = published;
  return new DomainError(
    'conflict',
    'hash-value-already-published',
    `the ${coin} hash value of ${date} is ${published.coinPerUnitPerDay} ${coin} per ${published.unit} per day; ` +
      `it cannot become ${asked.coinPerUnitPerDay} per ${asked.unit}`,
    {
      coin,
      date,
      published: { coinPerUnitPerDay: published.coinPerUnitPerDay, unit: published.unit },
      requested: asked,
    },
  );
}
