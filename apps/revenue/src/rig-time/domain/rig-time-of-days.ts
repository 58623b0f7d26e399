import { findRigModel, type MiningAlgorithm } from '@fleet/contracts';
import { ANY_MODEL, type RigTimeMeasure } from './rig-time-change';
import { DAY_MS, dayStartMs } from './utc-days';

/** A stored sum of changes (see `RigTimeChange`): one facility, day, measure and model. */
export interface RigTimeSum {
  readonly day: string;
  readonly measure: RigTimeMeasure;
  readonly model: string;
  readonly netRigs: number;
  readonly offsetMs: number;
}

/** Rig time of one day and model: milliseconds online (× rigs), as counted up to `until`. */
export interface ModelDay {
  readonly day: string;
  readonly model: string;
  readonly algorithm: MiningAlgorithm | null;
  readonly onlineRigMs: number;
}

export interface RigTimeOfDays {
  /** Online rig-milliseconds per day and model (days with none left out). */
  readonly online: ModelDay[];
  /** Installed rig-milliseconds per day. */
  readonly installedRigMs: ReadonlyMap<string, number>;
}

/**
 * The rig time of `days` (in order) from every sum of the facility up to the last of them. The rigs
 * counting at a day's start are the net of every earlier day; a day is counted up to its end, or up
 * to `nowMs` while it is not over (an interval still open counts up to now), and not at all before
 * it begins. With `n` rigs at the start and changes `sign × rigs` at offsets `t` into the day, the
 * rig time up to `x` is n·x + Σ sign·rigs·(x − t) = (n + net)·x − offset.
 */
export function rigTimeOfDays(
  sums: readonly RigTimeSum[],
  days: readonly string[],
  nowMs: number,
): RigTimeOfDays {
  const wanted = new Set(days);
  const first = days[0];
  const atStart = new Map<string, number>();
  const byDay = new Map<string, RigTimeSum[]>();
  for (const sum of sums) {
    const key = `${sum.measure}/${sum.model}`;
    if (first !== undefined && sum.day < first) atStart.set(key, (atStart.get(key) ?? 0) + sum.netRigs);
    else if (wanted.has(sum.day)) byDay.set(sum.day, [...(byDay.get(sum.day) ?? []), sum]);
  }
  const online: ModelDay[] = [];
  const installedRigMs = new Map<string, number>();
  for (const day of days) {
    const start = dayStartMs(day);
    const elapsed = Math.max(0, Math.min(DAY_MS, nowMs - start));
    const ofDay = new Map<string, RigTimeSum>();
    for (const sum of byDay.get(day) ?? []) ofDay.set(`${sum.measure}/${sum.model}`, sum);
    for (const key of new Set([...atStart.keys(), ...ofDay.keys()])) {
      const sum = ofDay.get(key);
      const rigsAtStart = atStart.get(key) ?? 0;
      const net = sum?.netRigs ?? 0;
      const rigMs = elapsed === 0 ? 0 : (rigsAtStart + net) * elapsed - (sum?.offsetMs ?? 0);
      atStart.set(key, rigsAtStart + net);
      const [measure, model] = splitKey(key);
      if (measure === 'installed') {
        installedRigMs.set(day, (installedRigMs.get(day) ?? 0) + rigMs);
      } else if (rigMs !== 0) {
        online.push({ day, model, algorithm: findRigModel(model)?.algorithm ?? null, onlineRigMs: rigMs });
      }
    }
  }
  return { online, installedRigMs };
}

function splitKey(key: string): [RigTimeMeasure, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash) as RigTimeMeasure, key.slice(slash + 1) || ANY_MODEL];
}
