import { COIN_DECIMALS, COINS, findRigModel, formatCoinAmount, type Coin } from '@fleet/contracts';
import { Decimal } from 'decimal.js';
import type { ModelDay } from '../../rig-time/domain/rig-time-of-days';
import { DAY_MS, dayStartMs } from '../../rig-time/domain/utc-days';
import { attributePayout } from './attribute-payout';

const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

export interface ReconciliationPayout {
  readonly pool: string;
  readonly coin: Coin;
  readonly amount: string;
  readonly periodStart: string;
  readonly periodEnd: string;
}

export interface ReconciliationInputs {
  /** The days to reconcile, in order (a month's). */
  readonly days: readonly string[];
  readonly nowMs: number;
  /** The facility's payouts whose periods overlap the days. */
  readonly payouts: readonly ReconciliationPayout[];
  /** `<coin>/<day>` → coin per unit of hashrate per day (the unit is the coin's, checked on the way in). */
  readonly hashValues: ReadonlyMap<string, string>;
  /** Pool shares of each coin's hashrate as assigned (`PUT /facilities/:id/pools/:pool`). */
  readonly poolShares: ReadonlyMap<Coin, ReadonlyMap<string, string>>;
  /** Online rig time per day and model. */
  readonly online: readonly ModelDay[];
  readonly tolerancePercent: string;
}

/** One day and pool: what the pool should have paid against what it paid, in base units. */
export interface ReconciliationLine {
  readonly day: string;
  readonly coin: Coin;
  readonly pool: string;
  readonly hashrateShare: string | null;
  readonly expectedAmount: bigint | null;
  readonly receivedAmount: bigint;
  readonly varianceAmount: bigint | null;
  readonly variancePercent: string | null;
  /** Every input is there: the day is over, its hash value is known, a payout covers it, the pool's share is known. */
  readonly complete: boolean;
  /** Complete and beyond the tolerance (or paid where nothing was expected). */
  readonly flagged: boolean;
}

/** The coin a model mines: expected payouts of a coin count only its rigs' hashrate. */
function coinOfModel(model: string): Coin | null {
  return findRigModel(model)?.coin ?? null;
}

/**
 * Expected against received per day and pool. Expected for a coin's day = Σ over its models of
 * online rig-days × nominal hashrate × the day's hash value, times the pool's share, rounded
 * half-even to base units. Without any assignment a coin paid by exactly one pool gives it the
 * whole; otherwise an unassigned pool's expected amount is unknown (null) and never flagged.
 */
export function reconcile(inputs: ReconciliationInputs): ReconciliationLine[] {
  const received = new Map<string, bigint>();
  const covered = new Set<string>();
  const wanted = new Set(inputs.days);
  const paidPools = new Map<Coin, Set<string>>();
  for (const payout of inputs.payouts) {
    for (const [day, units] of attributePayout(BigInt(payout.amount), payout.periodStart, payout.periodEnd)) {
      if (!wanted.has(day)) continue;
      const key = `${payout.coin}/${payout.pool}/${day}`;
      received.set(key, (received.get(key) ?? 0n) + units);
      covered.add(key);
      paidPools.set(payout.coin, (paidPools.get(payout.coin) ?? new Set()).add(payout.pool));
    }
  }
  const unitDays = new Map<string, Decimal>();
  for (const { day, model, onlineRigMs } of inputs.online) {
    const coin = coinOfModel(model);
    const rigModel = findRigModel(model);
    if (!coin || !rigModel) continue;
    const key = `${coin}/${day}`;
    const add = new Exact(onlineRigMs).div(DAY_MS).mul(rigModel.nominalHashrate);
    unitDays.set(key, (unitDays.get(key) ?? new Exact(0)).plus(add));
  }
  const tolerance = new Exact(inputs.tolerancePercent);
  const lines: ReconciliationLine[] = [];
  for (const coin of COINS) {
    const assigned = inputs.poolShares.get(coin) ?? new Map<string, string>();
    // The pools with a share of the coin's hashrate, and every pool that paid it anyway.
    const pools = new Set(paidPools.get(coin) ?? []);
    for (const [pool, share] of assigned) if (new Exact(share).gt(0)) pools.add(pool);
    const soleUnassigned = assigned.size === 0 && pools.size === 1;
    for (const day of inputs.days) {
      const hashValue = inputs.hashValues.get(`${coin}/${day}`);
      const dayOver = dayStartMs(day) + DAY_MS <= inputs.nowMs;
      for (const pool of [...pools].sort()) {
        const key = `${coin}/${pool}/${day}`;
        const share = assigned.get(pool) ?? (soleUnassigned ? '1' : null);
        const got = received.get(key) ?? 0n;
        const expected =
          hashValue === undefined || share === null
            ? null
            : BigInt(
                (unitDays.get(`${coin}/${day}`) ?? new Exact(0))
                  .mul(hashValue)
                  .mul(share)
                  .mul(new Exact(10).pow(COIN_DECIMALS[coin]))
                  .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN)
                  .toFixed(0),
              );
        if (expected === null && !covered.has(key)) continue;
        if (expected === 0n && !covered.has(key)) continue;
        const variance = expected === null ? null : got - expected;
        const ratio =
          variance === null || expected === null || expected === 0n
            ? null
            : new Exact(variance.toString()).div(expected.toString()).mul(100);
        const complete = dayOver && expected !== null && covered.has(key);
        const beyond = ratio !== null ? ratio.abs().gt(tolerance) : expected === 0n && got > 0n;
        lines.push({
          day,
          coin,
          pool,
          hashrateShare: share,
          expectedAmount: expected,
          receivedAmount: got,
          varianceAmount: variance,
          variancePercent: ratio === null ? null : ratio.toDecimalPlaces(2).toFixed(2),
          complete,
          flagged: complete && beyond,
        });
      }
    }
  }
  return lines;
}

/** A coin amount in base units as the API shows it. */
export function coinText(coin: Coin, units: bigint | null): string | null {
  return units === null ? null : formatCoinAmount(coin, units);
}
