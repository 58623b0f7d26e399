import { RIG_MODELS } from '@fleet/contracts';

/**
 * How early a model's rigs are shed, lowest first: within each algorithm the models by nominal
 * watts per unit of hashrate, highest (least efficient) first. Watts per TH/s and per kSol/s do not
 * compare, so algorithms interleave by rank: each algorithm's least efficient model, then each one's
 * next, the larger draw first within a rank (it sheds more at once).
 */
const DEFAULT_RANK: ReadonlyMap<string, number> = (() => {
  const byAlgorithm = new Map<string, { id: string; wattsPerUnit: number; watts: number }[]>();
  for (const model of RIG_MODELS) {
    const list = byAlgorithm.get(model.algorithm) ?? [];
    list.push({
      id: model.id,
      wattsPerUnit: model.powerWatts / Number(model.nominalHashrate),
      watts: model.powerWatts,
    });
    byAlgorithm.set(model.algorithm, list);
  }
  const ranked: { id: string; rank: number; watts: number }[] = [];
  for (const list of byAlgorithm.values()) {
    list.sort((a, b) => b.wattsPerUnit - a.wattsPerUnit || byCodeUnits(a.id, b.id));
    list.forEach((model, rank) => ranked.push({ id: model.id, rank, watts: model.watts }));
  }
  ranked.sort((a, b) => a.rank - b.rank || b.watts - a.watts || byCodeUnits(a.id, b.id));
  return new Map(ranked.map((model, index) => [model.id, index]));
})();

/** The shed order of rigs: the request's `modelOrder` first (in its order), then by efficiency as above. */
export interface ShedRig {
  readonly model: string;
  readonly rack: string;
  readonly slot: number;
}

export function shedOrder(modelOrder: readonly string[]): (a: ShedRig, b: ShedRig) => number {
  const requested = new Map(modelOrder.map((model, index) => [model, index]));
  const rankOf = (model: string) =>
    requested.get(model) ?? modelOrder.length + (DEFAULT_RANK.get(model) ?? DEFAULT_RANK.size);
  // Within a model, by rack and slot: the same choice on every instance.
  return (a, b) => rankOf(a.model) - rankOf(b.model) || byCodeUnits(a.rack, b.rack) || a.slot - b.slot;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
