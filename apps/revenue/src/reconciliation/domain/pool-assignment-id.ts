/** One stream per facility: which pools its hashrate of each coin points at. */
export function poolAssignmentStreamId(facilityId: string): string {
  return `pools-${facilityId}`;
}

export const POOL_ASSIGNMENT_STREAM_TYPE = 'pools';
