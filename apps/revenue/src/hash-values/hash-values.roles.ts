import type { Role } from '@fleet/service-kit';

/** Who may read hash values (admin is always admitted). */
export const HASH_VALUE_READERS: readonly Role[] = ['finance', 'reports'];
/** Who may post hash values: finance. */
export const HASH_VALUE_WRITERS: readonly Role[] = ['finance'];
