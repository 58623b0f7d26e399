import type { Role } from '@fleet/service-kit';

/** Who may read fixings (admin is always admitted). */
export const PRICE_READERS: readonly Role[] = ['finance', 'reports'];
/** Who may post fixings: finance. */
export const PRICE_WRITERS: readonly Role[] = ['finance'];
