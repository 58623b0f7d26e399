import type { Role } from '@fleet/service-kit';

/** Who may read orders and shipments (admin always may). Writes are procurement's alone. */
export const READ_ROLES: readonly Role[] = ['procurement', 'operations', 'finance', 'reports'];
