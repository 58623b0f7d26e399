/**
 * Revenue's events as the handlers decide them, for the benchmarks: a closed facility month with 4
 * payouts a day (BTC and ZEC from two pools), a valuation of a quarter of them after the fact, every
 * day's energy cost and a correction of every third day (about 190 events, 404 journal lines).
 */
import type { PeriodEvent, RigTimeFigures } from '@fleet/contracts';
import type { EventMetadata } from '@fleet/event-sourcing';
import { daysOf } from '../src/periods/domain/calendar';
import type { PeriodCommand } from '../src/periods/domain/period.commands';
import { periodDecider } from '../src/periods/domain/period.decider';
import type { PeriodState } from '../src/periods/domain/period.state';

/** The rig time a close freezes: 1,300 rigs (1,000 SHA-256 at 44 TH/s, 300 Equihash at 420 kSol/s) over 30 days. */
export const CLOSED_RIG_TIME: RigTimeFigures = {
  onlineRigHours: '921600.000',
  installedRigHours: '936000.000',
  byAlgorithm: [
    { algorithm: 'SHA-256', unit: 'TH/s', onlineRigHours: '705600.000', hashrateUnitDays: '1293600.000000' },
    {
      algorithm: 'Equihash',
      unit: 'kSol/s',
      onlineRigHours: '216000.000',
      hashrateUnitDays: '3780000.000000',
    },
  ],
};

export function metadata(facilityId: string): EventMetadata {
  return {
    correlationId: 'bench',
    causationId: null,
    actor: 'finance:bench',
    facilityId,
    occurredAt: '2026-12-01T00:00:00.000Z',
  };
}

/** A closed month's events, decided in memory as the handlers would have decided them. */
export function monthEvents(facilityId: string, month: string): PeriodEvent[] {
  let state: PeriodState = periodDecider.initialState();
  const events: PeriodEvent[] = [];
  const run = (command: PeriodCommand) => {
    const decided = periodDecider.decide(command, state);
    state = decided.reduce(periodDecider.evolve, state);
    events.push(...decided);
  };
  const days = daysOf(month);
  days.forEach((day, index) => {
    const valuedLater = index % 4 === 0;
    const payouts = (['BTC', 'ZEC'] as const).flatMap((coin) =>
      ['Foundry', 'F2Pool'].map((pool) => ({
        pool,
        txid: `${coin}${pool}${facilityId}${day}`.replace(/[^A-Za-z0-9]/g, ''),
        coin,
        amount: BigInt(coin === 'BTC' ? 65_000_000 + index : 12_500_000_000 + index),
        paidAt: `${day}T02:00:00Z`,
        periodStart: `${day}T00:00:00Z`,
        periodEnd: `${day}T00:00:00Z`,
        fixingUsd: valuedLater ? null : coin === 'BTC' ? '91234.56' : '41.37',
      })),
    );
    run({ type: 'RecordPayouts', data: { facilityId, period: month, payouts } });
    if (valuedLater)
      run({
        type: 'ValuePayouts',
        data: {
          facilityId,
          period: month,
          fixings: [
            { coin: 'BTC', day, fixingUsd: '91234.56' },
            { coin: 'ZEC', day, fixingUsd: '41.37' },
          ],
        },
      });
    const estimate = { kwh: '68796', usd: '4815.72', basis: 'estimated' as const, revision: 1 };
    run({
      type: 'BookEnergyCost',
      data: {
        facilityId,
        period: month,
        day,
        ...estimate,
        sourceEventId: crypto.randomUUID(),
        previous: null,
      },
    });
    if (index % 3 === 0)
      run({
        type: 'BookEnergyCost',
        data: {
          facilityId,
          period: month,
          day,
          kwh: '69001.5',
          usd: '4830.11',
          basis: 'measured',
          revision: 2,
          sourceEventId: crypto.randomUUID(),
          previous: estimate,
        },
      });
  });
  run({
    type: 'ClosePeriod',
    data: { facilityId, period: month, closedAt: '2026-12-01T00:00:00Z', rigTime: CLOSED_RIG_TIME },
  });
  return events;
}
