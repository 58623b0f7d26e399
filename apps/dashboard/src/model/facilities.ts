import type { Reports } from '../api/reports';

/** Every facility the reports name, sorted: the choices of the facility selector. */
export function facilityIdsOf(reports: Partial<Reports>): string[] {
  const ids = new Set<string>();
  for (const line of reports.fleet?.byFacility ?? []) ids.add(line.facilityId);
  for (const facility of reports.power?.facilities ?? []) ids.add(facility.facilityId);
  for (const line of reports.procurement?.pipeline ?? []) ids.add(line.facilityId);
  for (const month of reports.pnl?.months ?? []) ids.add(month.facilityId);
  return [...ids].sort();
}
