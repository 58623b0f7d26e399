import type { Role } from '@fleet/service-kit';

/** Who may read the reports (admin always may). */
export const REPORT_READERS: readonly Role[] = ['reports', 'finance', 'operations'];
/** Who may rebuild the reports: admin only. */
export const REPORT_ADMINS: readonly Role[] = [];
