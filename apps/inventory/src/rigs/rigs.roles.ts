import type { Role } from '@fleet/service-kit';

/** Who may read the rig registry (admin is always admitted). */
export const RIG_READERS: readonly Role[] = ['operations', 'procurement', 'finance', 'reports'];
/** Who may change it: site operations. */
export const RIG_WRITERS: readonly Role[] = ['operations'];
