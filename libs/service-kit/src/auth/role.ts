/** The teams that call Fleet's APIs. `admin` is admitted on every route. */
export const ROLES = ['admin', 'procurement', 'operations', 'finance', 'reports'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
