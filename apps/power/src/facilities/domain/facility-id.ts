/** One stream per facility: the consistency boundary of its capacity, budgets and allocations. */
export function facilityStreamId(facilityId: string): string {
  return `facility-${facilityId}`;
}

export const FACILITY_STREAM_TYPE = 'facility';
