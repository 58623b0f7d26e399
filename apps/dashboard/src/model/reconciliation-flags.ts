import type { PnlMonth } from '../api/reports';

export interface ReconciliationFlag {
  readonly facilityId: string;
  readonly month: string;
  readonly flag: string;
}

/** What each flag asks of finance, for the flags the page knows; others are shown by name. */
const EXPLANATIONS: Readonly<Record<string, string>> = {
  'payouts-without-fixing': 'payouts without a price fixing: their USD value is missing',
  'energy-estimated': 'energy cost estimated for some days: meter readings are missing',
  'energy-days-missing': 'days of the month without any energy cost',
};

export function explainFlag(flag: string): string {
  return EXPLANATIONS[flag] ?? flag.replace(/-/g, ' ');
}

/** Every flag of every month, newest month first, then by facility and flag. */
export function reconciliationFlagsOf(months: readonly PnlMonth[]): ReconciliationFlag[] {
  return months
    .flatMap((month) =>
      month.flags.map((flag) => ({ facilityId: month.facilityId, month: month.month, flag })),
    )
    .sort(
      (a, b) =>
        b.month.localeCompare(a.month) ||
        a.facilityId.localeCompare(b.facilityId) ||
        a.flag.localeCompare(b.flag),
    );
}
