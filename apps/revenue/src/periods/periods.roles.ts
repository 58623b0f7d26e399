import type { Role } from '@fleet/service-kit';

/** Who may read statements, journals and trial balances (admin is always admitted). */
export const PERIOD_READERS: readonly Role[] = ['finance', 'reports'];
/** Who may book payouts and close months: finance. */
export const PERIOD_WRITERS: readonly Role[] = ['finance'];
