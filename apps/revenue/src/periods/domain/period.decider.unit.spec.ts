import type { PeriodEvent } from '@fleet/contracts';
import { deciderSpec } from '@fleet/event-sourcing/testing';
import type { BookEnergyCost, PayoutToRecord, PeriodCommand } from './period.commands';
import { periodDecider } from './period.decider';
import { PeriodNotReadyError } from './period.errors';
import { daysOf } from './calendar';

const facilityId = 'us-tx-01';
const spec = deciderSpec(periodDecider);

const payout: PayoutToRecord = {
  pool: 'Foundry',
  txid: 'a1b2c3',
  coin: 'BTC',
  amount: 50_000_000n,
  paidAt: '2026-11-03T01:00:00Z',
  periodStart: '2026-11-02T00:00:00Z',
  periodEnd: '2026-11-03T00:00:00Z',
  fixingUsd: '91234.56',
};

function record(period: string, ...payouts: PayoutToRecord[]): PeriodCommand {
  return { type: 'RecordPayouts', data: { facilityId, period, payouts } };
}

function received(period: string, given: PayoutToRecord): PeriodEvent {
  return spec.given([]).when(record(period, given)).thenReturns()[0];
}

function energy(day: string, overrides: Partial<BookEnergyCost['data']> = {}): BookEnergyCost {
  return {
    type: 'BookEnergyCost',
    data: {
      facilityId,
      period: day.slice(0, 7),
      day,
      kwh: '68880',
      usd: '4821.60',
      basis: 'estimated',
      revision: 1,
      sourceEventId: `00000000-0000-4000-8000-0000000${day.replaceAll('-', '').slice(2)}`,
      previous: null,
      ...overrides,
    },
  };
}

function booked(command: BookEnergyCost, history: readonly PeriodEvent[] = []): PeriodEvent {
  return spec.given(history).when(command).thenReturns()[0];
}

function wholeNovember(): PeriodEvent[] {
  return daysOf('2026-11').map((day) => booked(energy(day)));
}

const closeNovember: PeriodCommand = {
  type: 'ClosePeriod',
  data: { facilityId, period: '2026-11', closedAt: '2026-12-02T09:00:00Z' },
};

describe('a facility month', () => {
  describe('payouts', () => {
    it('books a payout at the fixing of its day: coin held against mining revenue, rounded to the cent', () => {
      spec
        .given([])
        .when(record('2026-11', payout))
        .then([
          {
            type: 'PayoutReceived',
            data: {
              facilityId,
              period: '2026-11',
              pool: 'Foundry',
              txid: 'a1b2c3',
              coin: 'BTC',
              amount: '50000000',
              paidAt: payout.paidAt,
              periodStart: payout.periodStart,
              periodEnd: payout.periodEnd,
              day: '2026-11-03',
              fixingUsd: '91234.56',
              usd: '45617.28',
              entry: {
                date: '2026-11-03',
                memo: 'payout Foundry a1b2c3',
                lines: [
                  { account: 'coin-held', side: 'debit', usd: '45617.28', coin: 'BTC', amount: '50000000' },
                  {
                    account: 'mining-revenue',
                    side: 'credit',
                    usd: '45617.28',
                    coin: 'BTC',
                    amount: '50000000',
                  },
                ],
              },
            },
          },
        ]);
    });

    it('books the same (pool, txid) once, whatever else comes with it', () => {
      const first = received('2026-11', payout);
      spec
        .given([first])
        .when(record('2026-11', { ...payout, amount: 1n }))
        .then([]);
      expect(
        spec
          .given([])
          .when(record('2026-11', payout, payout))
          .thenReturns(),
      ).toHaveLength(1);
    });

    it('books a payout without a fixing in coin at 0.00 USD, and values it when the fixing arrives', () => {
      const unvalued = received('2026-11', { ...payout, fixingUsd: null });
      expect(unvalued.type === 'PayoutReceived' && unvalued.data.usd).toBeNull();
      const [valued] = spec
        .given([unvalued])
        .when({
          type: 'ValuePayouts',
          data: {
            facilityId,
            period: '2026-11',
            fixings: [{ coin: 'BTC', day: '2026-11-03', fixingUsd: '91234.56' }],
          },
        })
        .thenReturns();
      expect(valued).toMatchObject({
        type: 'PayoutValued',
        data: {
          usd: '45617.28',
          entry: {
            date: '2026-11-03',
            lines: [
              { account: 'coin-held', side: 'debit', usd: '45617.28' },
              { account: 'mining-revenue', side: 'credit' },
            ],
          },
        },
      });
      // valued once: the same fixing again values nothing more
      spec
        .given([unvalued, valued])
        .when({
          type: 'ValuePayouts',
          data: {
            facilityId,
            period: '2026-11',
            fixings: [{ coin: 'BTC', day: '2026-11-03', fixingUsd: '91234.56' }],
          },
        })
        .then([]);
    });

    it('values only the payouts of the fixing’s coin and day', () => {
      const zec = received('2026-11', { ...payout, txid: 'z1', coin: 'ZEC', fixingUsd: null });
      const otherDay = received('2026-11', {
        ...payout,
        txid: 'b2',
        paidAt: '2026-11-04T01:00:00Z',
        fixingUsd: null,
      });
      spec
        .given([zec, otherDay])
        .when({
          type: 'ValuePayouts',
          data: {
            facilityId,
            period: '2026-11',
            fixings: [{ coin: 'BTC', day: '2026-11-03', fixingUsd: '1' }],
          },
        })
        .then([]);
    });

    it('books a payout of a closed month in a later one as a late entry naming its month', () => {
      const [late] = spec.given([]).when(record('2026-12', payout)).thenReturns();
      expect(late).toMatchObject({
        type: 'PayoutReceived',
        data: {
          period: '2026-12',
          day: '2026-11-03',
          entry: {
            date: '2026-12-01',
            lateFor: '2026-11',
            lines: [{ account: 'coin-held' }, { account: 'prior-period-adjustments', side: 'credit' }],
          },
        },
      });
    });

    it('refuses to book anything in a closed month', () => {
      const closed: PeriodEvent = {
        type: 'PeriodClosed',
        data: { facilityId, period: '2026-11', closedAt: '2026-12-02T09:00:00Z' },
      };
      spec.given([closed]).when(record('2026-11', payout)).thenThrows('conflict', 'period-closed');
      spec.given([closed]).when(energy('2026-11-03')).thenThrows('conflict', 'period-closed');
    });
  });

  describe('energy', () => {
    it('books energy expense against energy payable, with kWh and basis on the expense', () => {
      expect(booked(energy('2026-11-03'))).toMatchObject({
        type: 'EnergyCostBooked',
        data: {
          day: '2026-11-03',
          entry: {
            date: '2026-11-03',
            lines: [
              { account: 'energy-expense', side: 'debit', usd: '4821.60', kwh: '68880', basis: 'estimated' },
              { account: 'energy-payable', side: 'credit', usd: '4821.60' },
            ],
          },
        },
      });
    });

    it('books a correction by reversing the figure booked before and booking the new one', () => {
      const first = booked(energy('2026-11-03'));
      const correction = energy('2026-11-03', {
        kwh: '70000.5',
        usd: '4900.04',
        basis: 'measured',
        revision: 2,
        sourceEventId: '00000000-0000-4000-8000-00000000c0c0',
        previous: { kwh: '68880', usd: '4821.60', basis: 'estimated', revision: 1 },
      });
      expect(booked(correction, [first])).toMatchObject({
        data: {
          replaces: { kwh: '68880', usd: '4821.60', basis: 'estimated', revision: 1 },
          entry: {
            lines: [
              { account: 'energy-expense', side: 'credit', usd: '4821.60', kwh: '68880', basis: 'estimated' },
              { account: 'energy-payable', side: 'debit', usd: '4821.60' },
              { account: 'energy-expense', side: 'debit', usd: '4900.04', kwh: '70000.5', basis: 'measured' },
              { account: 'energy-payable', side: 'credit', usd: '4900.04' },
            ],
          },
        },
      });
    });

    it('books a redelivered event once, and ignores a revision older than the one booked', () => {
      const first = booked(energy('2026-11-03'));
      spec.given([first]).when(energy('2026-11-03')).then([]);
      spec
        .given([first])
        .when(
          energy('2026-11-03', {
            revision: 2,
            sourceEventId: '00000000-0000-4000-8000-0000000000aa',
            previous: { kwh: '1', usd: '1.00', basis: 'measured', revision: 3 },
          }),
        )
        .then([]);
    });

    it('books a correction of a closed month’s day as a late adjustment', () => {
      const late = energy('2026-11-30', {
        period: '2026-12',
        revision: 2,
        previous: { kwh: '68880', usd: '4821.60', basis: 'estimated', revision: 1 },
      });
      expect(booked(late)).toMatchObject({
        data: {
          period: '2026-12',
          entry: {
            date: '2026-12-01',
            lateFor: '2026-11',
            lines: [
              { account: 'prior-period-adjustments', side: 'credit' },
              { account: 'energy-payable', side: 'debit' },
              { account: 'prior-period-adjustments', side: 'debit' },
              { account: 'energy-payable', side: 'credit' },
            ],
          },
        },
      });
    });
  });

  describe('close', () => {
    it('is refused with every payout without a fixing and every day without an energy cost', () => {
      const unvalued = received('2026-11', { ...payout, fixingUsd: null });
      const someDays = daysOf('2026-11')
        .slice(0, 28)
        .map((day) => booked(energy(day)));
      const error = spec
        .given([unvalued, ...someDays])
        .when(closeNovember)
        .thenThrows('conflict', 'period-not-ready');
      expect(error).toBeInstanceOf(PeriodNotReadyError);
      expect(error.details).toEqual({
        facilityId,
        period: '2026-11',
        missing: {
          payoutsWithoutFixing: [{ pool: 'Foundry', txid: 'a1b2c3', coin: 'BTC', day: '2026-11-03' }],
          daysWithoutEnergyCost: ['2026-11-29', '2026-11-30'],
        },
      });
      expect(error.message).toContain('1 payouts have no price fixing (BTC 2026-11-03 Foundry/a1b2c3)');
    });

    it('does not count a late energy figure of an earlier month towards the close', () => {
      const lateOctober = booked(energy('2026-10-31', { period: '2026-11' }));
      spec
        .given([
          lateOctober,
          ...daysOf('2026-11')
            .slice(1)
            .map((day) => booked(energy(day))),
        ])
        .when(closeNovember)
        .thenThrows('conflict', 'period-not-ready');
    });

    it('closes a month whose payouts are valued and whose every day has an energy cost; once', () => {
      const history = [received('2026-11', payout), ...wholeNovember()];
      spec
        .given(history)
        .when(closeNovember)
        .then([
          { type: 'PeriodClosed', data: { facilityId, period: '2026-11', closedAt: '2026-12-02T09:00:00Z' } },
        ]);
      const closed = spec.given(history).when(closeNovember).thenReturns();
      spec
        .given([...history, ...closed])
        .when(closeNovember)
        .then([]);
    });
  });
});
