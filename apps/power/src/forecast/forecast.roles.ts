import type { Role } from '@fleet/service-kit';

/** Who may read a facility's capacity forecast (admin is always admitted): every team. */
export const FORECAST_READERS: readonly Role[] = ['operations', 'procurement', 'finance', 'reports'];
