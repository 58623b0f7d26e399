import { COINS, roundUsd, sumUsd, type Coin, type JournalLine, type PeriodEvent } from '@fleet/contracts';
import { DomainError } from '@fleet/event-sourcing';
import { bookingPeriod } from './booking-period';
import { daysOf, monthOf } from './calendar';
import type { EnergyFigure, PeriodCommand } from './period.commands';
import { periodDecider } from './period.decider';
import { payoutKeyOf } from './period-id';
import type { PeriodState } from './period.state';
import { trialBalanceOf } from './trial-balance';

/** mulberry32: a small seeded generator, so a failing sequence can be replayed from its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['2026-11', '2026-12', '2027-01'];
const facilityId = 'us-tx-01';

/**
 * The ledger of one facility as the handlers drive it, in memory: every fact is routed to the
 * month it is booked in (`bookingPeriod`), decided there, and its events appended.
 */
class LedgerWorld {
  readonly streams = new Map<string, PeriodEvent[]>();
  readonly closed = new Set<string>();
  readonly fixings = new Map<string, string>();
  readonly payoutKeys = new Set<string>();
  readonly energyFigures = new Map<string, EnergyFigure>();
  private sources = 0;

  private readonly states = new Map<string, PeriodState>();

  stateOf(period: string): PeriodState {
    return this.states.get(period) ?? periodDecider.initialState();
  }

  run(period: string, command: PeriodCommand): PeriodEvent[] {
    const before = this.stateOf(period);
    const events = [...periodDecider.decide(command, before)];
    this.states.set(period, events.reduce(periodDecider.evolve, before));
    this.streams.set(period, [...(this.streams.get(period) ?? []), ...events]);
    for (const event of events) if (event.type === 'PeriodClosed') this.closed.add(period);
    return events;
  }

  payout(coin: Coin, day: string, amount: bigint, txid: string): PeriodEvent[] {
    const pool = 'Foundry';
    const key = payoutKeyOf({ pool, txid });
    if (this.payoutKeys.has(key)) return [];
    this.payoutKeys.add(key);
    const period = bookingPeriod(monthOf(day), this.closed);
    const paidAt = `${day}T12:00:00Z`;
    return this.run(period, {
      type: 'RecordPayouts',
      data: {
        facilityId,
        period,
        payouts: [
          {
            pool,
            txid,
            coin,
            amount,
            paidAt,
            periodStart: paidAt,
            periodEnd: paidAt,
            fixingUsd: this.fixings.get(`${coin}/${day}`) ?? null,
          },
        ],
      },
    });
  }

  fixing(coin: Coin, day: string, usd: string): PeriodEvent[] {
    if (this.fixings.has(`${coin}/${day}`)) return [];
    this.fixings.set(`${coin}/${day}`, usd);
    return [...this.streams.keys()].flatMap((period) =>
      this.run(period, {
        type: 'ValuePayouts',
        data: { facilityId, period, fixings: [{ coin, day, fixingUsd: usd }] },
      }),
    );
  }

  energy(day: string, kwh: string, usd: string, basis: 'measured' | 'estimated'): PeriodEvent[] {
    const previous = this.energyFigures.get(day) ?? null;
    const revision = (previous?.revision ?? 0) + 1;
    const period = bookingPeriod(monthOf(day), this.closed);
    const sourceEventId = `00000000-0000-4000-8000-${String(++this.sources).padStart(12, '0')}`;
    const events = this.run(period, {
      type: 'BookEnergyCost',
      data: { facilityId, period, day, kwh, usd, basis, revision, sourceEventId, previous },
    });
    if (events.length > 0) this.energyFigures.set(day, { kwh, usd, basis, revision });
    return events;
  }

  close(period: string): PeriodEvent[] {
    try {
      return this.run(period, {
        type: 'ClosePeriod',
        data: { facilityId, period, closedAt: '2027-02-01T00:00:00Z' },
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'period-not-ready') return [];
      throw error;
    }
  }

  allLines(): JournalLine[] {
    return [...this.streams.values()]
      .flat()
      .flatMap((event) => ('entry' in event.data ? event.data.entry.lines : []));
  }
}

function runSequence(seed: number, steps: number): LedgerWorld {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const world = new LedgerWorld();
  const days = MONTHS.flatMap(daysOf);
  const frozen = new Map<string, number>();
  const running = {
    debit: '0.00',
    credit: '0.00',
    coins: { BTC: { debit: 0n, credit: 0n }, ZEC: { debit: 0n, credit: 0n } } as Record<
      Coin,
      { debit: bigint; credit: bigint }
    >,
  };
  for (let step = 0; step < steps; step++) {
    const roll = random();
    const coin = pick(COINS);
    const day = pick(days);
    let events: PeriodEvent[];
    if (roll < 0.35) {
      // Duplicates on purpose: a txid from a small range repeats.
      const amount = BigInt(Math.floor(random() * 2_000_000_000)) + 1n;
      events = world.payout(coin, day, amount, `tx${Math.floor(random() * 150)}`);
    } else if (roll < 0.55) {
      const usd = `${Math.floor(random() * 120_000) + 1}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;
      events = world.fixing(coin, day, usd);
    } else if (roll < 0.9) {
      const kwh = `${Math.floor(random() * 80_000)}.${Math.floor(random() * 1000)}`;
      // Bills in tenths of a cent, rounded to the cent per entry.
      const usd = roundUsd(`${Math.floor(random() * 6_000)}.${Math.floor(random() * 1000)}`);
      events = world.energy(day, kwh, usd, random() < 0.5 ? 'measured' : 'estimated');
    } else {
      // Months close in order, as an accountant closes them.
      const open = MONTHS.find((month) => !world.closed.has(month));
      if (open && (random() < 0.5 || step > steps * 0.6)) {
        // Make the month closable now and then: value its payouts and fill its days.
        if (random() < 0.7) {
          for (const [, payout] of world.stateOf(open).payouts)
            if (!payout.valued) world.fixing(payout.coin, payout.day, '100.00');
          for (const openDay of daysOf(open))
            if (!world.energyFigures.has(openDay)) world.energy(openDay, '1000', '70.00', 'estimated');
        }
      }
      events = open ? world.close(open) : [];
    }

    for (const event of events) {
      if (!('entry' in event.data)) continue;
      const entryBalance = trialBalanceOf(event.data.entry.lines);
      if (!entryBalance.balanced)
        throw new Error(`seed ${seed}, step ${step}: unbalanced entry ${JSON.stringify(event.data.entry)}`);
      if (world.closed.has(event.data.period) && event.type !== 'PeriodClosed')
        throw new Error(`seed ${seed}, step ${step}: ${event.type} booked in closed ${event.data.period}`);
    }
    // The running trial balance, kept step by step (a full one is taken at the end).
    for (const event of events) {
      if (!('entry' in event.data)) continue;
      for (const line of event.data.entry.lines) {
        running[line.side] = sumUsd([running[line.side], line.usd]);
        if (line.coin && line.amount) running.coins[line.coin][line.side] += BigInt(line.amount);
      }
    }
    if (
      running.debit !== running.credit ||
      COINS.some((coinOf) => running.coins[coinOf].debit !== running.coins[coinOf].credit)
    )
      throw new Error(`seed ${seed}, step ${step}: the trial balance does not balance`);
    // A closed month never changes.
    for (const month of world.closed) {
      const count = world.streams.get(month)?.length ?? 0;
      if (frozen.has(month) && frozen.get(month) !== count)
        throw new Error(`seed ${seed}, step ${step}: closed ${month} changed`);
      frozen.set(month, count);
    }
  }
  return world;
}

const SEEDS = Array.from({ length: 40 }, (_, index) => index + 1);
const worlds = new Map<number, LedgerWorld>();

describe('the ledger over random sequences of postings', () => {
  it.each(SEEDS)(
    'seed %i: every entry and the trial balance balance in USD and per coin; closed months never change',
    (seed) => {
      const world = runSequence(seed, 400);
      worlds.set(seed, world);
      expect(trialBalanceOf(world.allLines()).balanced).toBe(true);
    },
  );

  it('exercises what it claims to: late entries, valuations after the fact, corrections and closes', () => {
    const events = Array.from({ length: 40 }, (_, index) => runSequence(index + 1, 400)).flatMap((world) =>
      [...world.streams.values()].flat(),
    );
    const count = (predicate: (event: PeriodEvent) => boolean) => events.filter(predicate).length;
    expect(count((event) => event.type === 'PeriodClosed')).toBeGreaterThan(20);
    expect(count((event) => event.type === 'PayoutValued')).toBeGreaterThan(100);
    expect(
      count((event) => event.type === 'PayoutReceived' && event.data.entry.lateFor !== undefined),
    ).toBeGreaterThan(10);
    expect(
      count((event) => event.type === 'EnergyCostBooked' && event.data.replaces !== undefined),
    ).toBeGreaterThan(100);
    expect(
      count((event) => event.type === 'EnergyCostBooked' && event.data.entry.lateFor !== undefined),
    ).toBeGreaterThan(10);
  });

  it('would notice an unbalanced entry', () => {
    expect(
      trialBalanceOf([
        { account: 'coin-held', side: 'debit', usd: '10.00', coin: 'BTC', amount: '100' },
        { account: 'mining-revenue', side: 'credit', usd: '10.00', coin: 'BTC', amount: '99' },
      ]).balanced,
    ).toBe(false);
    expect(
      trialBalanceOf([
        { account: 'energy-expense', side: 'debit', usd: '10.00' },
        { account: 'energy-payable', side: 'credit', usd: '10.01' },
      ]).balanced,
    ).toBe(false);
  });
});
