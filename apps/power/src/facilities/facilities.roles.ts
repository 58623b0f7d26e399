import type { Role } from '@fleet/service-kit';

/** Who may read a facility's power (admin is always admitted): every team. */
export const FACILITY_READERS: readonly Role[] = ['operations', 'procurement', 'finance', 'reports'];
/** Who may power rigs on and off: site operations. */
export const POWER_OPERATORS: readonly Role[] = ['operations'];
/** Who may change a facility's contract capacity and rack budgets: admin only. */
export const FACILITY_ADMINS: readonly Role[] = [];
