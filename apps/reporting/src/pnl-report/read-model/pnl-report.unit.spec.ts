import { envelopeOf, FACILITY, foldInMemory } from '../../../test/report-events';
import { pnlMonthFold, type PnlMonthDoc } from './pnl-month.fold';
import { pnlMonthOf } from './pnl-report';

const entry = { date: '2026-11-01', memo: 'test', lines: [] };
const payout = (txid: string, coin: 'BTC' | 'ZEC', amount: string, usd: string | null) =>
  envelopeOf('PayoutReceived', {
    facilityId: FACILITY,
    period: '2026-11',
    pool: 'F2Pool',
    txid,
    coin,
    amount,
    paidAt: '2026-11-02T00:00:00Z',
    periodStart: '2026-11-01T00:00:00Z',
    periodEnd: '2026-11-02T00:00:00Z',
    day: '2026-11-01',
    fixingUsd: usd === null ? null : '90000',
    usd,
    entry,
  });
const energy = (day: string, kwh: string, usd: string, basis: 'measured' | 'estimated', revision = 1) =>
  envelopeOf('EnergyCostBooked', {
    facilityId: FACILITY,
    period: '2026-11',
    day,
    kwh,
    usd,
    basis,
    revision,
    sourceEventId: '00000000-0000-4000-8000-000000000001',
    entry,
  });

function monthOf(envelopes: Parameters<typeof foldInMemory>[1]) {
  const [doc] = foldInMemory<PnlMonthDoc>(pnlMonthFold, envelopes);
  if (!doc) throw new Error('no month document');
  return pnlMonthOf(doc.data);
}

describe('the P&L report fold', () => {
  it('sums revenue per coin and in USD, energy, and the margin, in decimal strings', () => {
    const month = monthOf([
      payout('tx1', 'BTC', '150000000', '135000.00'),
      payout('tx2', 'BTC', '1', '0.01'),
      payout('tx3', 'ZEC', '250000000', '100.10'),
      energy('2026-11-01', '68880.5', '3099.62', 'measured'),
      energy('2026-11-02', '70000', '3150.00', 'estimated'),
    ]);
    expect(month.revenue).toEqual([
      { coin: 'BTC', amount: '1.50000001', usd: '135000.01', payouts: 2, unvaluedPayouts: 0 },
      { coin: 'ZEC', amount: '2.50000000', usd: '100.10', payouts: 1, unvaluedPayouts: 0 },
    ]);
    expect(month).toMatchObject({
      revenueUsd: '135100.11',
      energyKwh: '138880.5',
      energyUsd: '6249.62',
      marginUsd: '128850.49',
      estimatedEnergyDays: 1,
      closed: false,
    });
    expect(month.flags).toEqual(['energy-estimated', 'energy-days-missing']);
  });

  it('values a payout once its fixing arrives, and a corrected energy day replaces the first', () => {
    const month = monthOf([
      payout('tx1', 'BTC', '100000000', null),
      energy('2026-11-01', '100', '5.00', 'estimated'),
      energy('2026-11-01', '90', '4.50', 'measured', 2),
    ]);
    expect(month.flags).toContain('payouts-without-fixing');
    expect(month.revenueUsd).toBe('0.00');
    const valued = monthOf([
      payout('tx1', 'BTC', '100000000', null),
      envelopeOf('PayoutValued', {
        facilityId: FACILITY,
        period: '2026-11',
        pool: 'F2Pool',
        txid: 'tx1',
        coin: 'BTC',
        day: '2026-11-01',
        fixingUsd: '91234.56',
        usd: '91234.56',
        entry,
      }),
      energy('2026-11-01', '100', '5.00', 'estimated'),
      energy('2026-11-01', '90', '4.50', 'measured', 2),
    ]);
    expect(valued).toMatchObject({
      revenueUsd: '91234.56',
      energyKwh: '90',
      energyUsd: '4.50',
      marginUsd: '91230.06',
    });
    expect(valued.flags).not.toContain('payouts-without-fixing');
  });

  it('marks the month closed', () => {
    const month = monthOf([
      payout('tx1', 'BTC', '1', '0.01'),
      envelopeOf('PeriodClosed', {
        facilityId: FACILITY,
        period: '2026-11',
        closedAt: '2026-12-02T00:00:00Z',
      }),
    ]);
    expect(month).toMatchObject({ closed: true, closedAt: '2026-12-02T00:00:00Z' });
  });

  it('shows revenue per TH/s per day once the close publishes the hashrate-days, and the pool variances', () => {
    const month = monthOf([
      payout('tx1', 'BTC', '100000000', '90000.00'),
      envelopeOf('PayoutVarianceFlagged', {
        facilityId: FACILITY,
        pool: 'F2Pool',
        coin: 'BTC',
        day: '2026-11-01',
        expectedAmount: '110000000',
        receivedAmount: '100000000',
        varianceAmount: '-10000000',
        variancePercent: '-9.09',
        tolerancePercent: '3',
        revision: 1,
      }),
      envelopeOf('PeriodClosed', {
        facilityId: FACILITY,
        period: '2026-11',
        closedAt: '2026-12-02T00:00:00Z',
        rigTime: {
          onlineRigHours: '24000.000',
          installedRigHours: '24000.000',
          byAlgorithm: [
            {
              algorithm: 'SHA-256',
              unit: 'TH/s',
              onlineRigHours: '24000.000',
              hashrateUnitDays: '44000.000000',
            },
            { algorithm: 'Equihash', unit: 'kSol/s', onlineRigHours: '0.000', hashrateUnitDays: '0.000000' },
          ],
        },
      }),
    ]);
    expect(month.revenuePerThPerDayUsd).toBe('2.045455');
    expect(month.flags).toContain('pool-variance');
    expect(month.poolVariances).toEqual([
      {
        coin: 'BTC',
        pool: 'F2Pool',
        day: '2026-11-01',
        expectedAmount: '1.10000000',
        receivedAmount: '1.00000000',
        variancePercent: '-9.09',
      },
    ]);
  });
});
