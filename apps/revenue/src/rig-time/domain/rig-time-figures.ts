import { findRigModel, type RigTimeFigures } from '@fleet/contracts';
import { Decimal } from 'decimal.js';
import { rigTimeOfDays, type RigTimeSum } from './rig-time-of-days';
import { DAY_MS } from './utc-days';

const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
const HOUR_MS = 3_600_000;

const ALGORITHMS = [
  { algorithm: 'SHA-256', unit: 'TH/s' },
  { algorithm: 'Equihash', unit: 'kSol/s' },
] as const;

/**
 * A month's (or any days') rig time as the statement and the close show it: rig-hours rounded
 * half-even to three decimals, hashrate-days (online rig-days × the model's nominal hashrate) to six.
 */
export function rigTimeFiguresOf(
  sums: readonly RigTimeSum[],
  days: readonly string[],
  nowMs: number,
): RigTimeFigures {
  const { online, installedRigMs } = rigTimeOfDays(sums, days, nowMs);
  const hours = (ms: Decimal) => ms.div(HOUR_MS).toDecimalPlaces(3).toFixed(3);
  let onlineMs = new Exact(0);
  const perAlgorithm = new Map<string, { ms: Decimal; unitDays: Decimal }>();
  for (const { model, onlineRigMs } of online) {
    onlineMs = onlineMs.plus(onlineRigMs);
    const rigModel = findRigModel(model);
    if (!rigModel) continue;
    const before = perAlgorithm.get(rigModel.algorithm) ?? { ms: new Exact(0), unitDays: new Exact(0) };
    perAlgorithm.set(rigModel.algorithm, {
      ms: before.ms.plus(onlineRigMs),
      unitDays: before.unitDays.plus(new Exact(onlineRigMs).div(DAY_MS).mul(rigModel.nominalHashrate)),
    });
  }
  let installedMs = new Exact(0);
  for (const ms of installedRigMs.values()) installedMs = installedMs.plus(ms);
  return {
    onlineRigHours: hours(onlineMs),
    installedRigHours: hours(installedMs),
    byAlgorithm: ALGORITHMS.map(({ algorithm, unit }) => {
      const figures = perAlgorithm.get(algorithm) ?? { ms: new Exact(0), unitDays: new Exact(0) };
      return {
        algorithm,
        unit,
        onlineRigHours: hours(figures.ms),
        hashrateUnitDays: figures.unitDays.toDecimalPlaces(6).toFixed(6),
      };
    }),
  };
}
