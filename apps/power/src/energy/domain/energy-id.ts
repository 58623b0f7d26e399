/** One stream per facility's energy: its meter readings, tariff, prices and daily cost. */
export function energyStreamId(facilityId: string): string {
  return `energy-${facilityId}`;
}

export const ENERGY_STREAM_TYPE = 'facility-energy';
