import type { Role } from '@fleet/service-kit';

/** Who may read a facility's energy and forecast (admin is always admitted): every team. */
export const ENERGY_READERS: readonly Role[] = ['operations', 'procurement', 'finance', 'reports'];
/** Who may post meter readings and market prices: site operations. */
export const ENERGY_OPERATORS: readonly Role[] = ['operations'];
/** Who may set a facility's tariff: admin only. */
export const ENERGY_ADMINS: readonly Role[] = [];
