// The forecast is pure and computed from events others read too: it lives in `@fleet/contracts`
// so that reporting's power report computes the very same one (issue 9).
export {
  forecastCapacity,
  type Arrival,
  type CapacityForecast,
  type FacilityCapacity,
  type ForecastPoint,
} from '@fleet/contracts';
