import type { Coin } from '@fleet/contracts';
import { reconcile, type ReconciliationInputs } from './reconcile';

const DAY = 86_400_000;
const days = ['2026-11-01', '2026-11-02'];

/** 1,000 × 8 Nano (44 TH/s) online all day, 300 × Z15 (420 kSol/s). */
const online = days.flatMap((day) => [
  { day, model: 'asicminer-8-nano', algorithm: 'SHA-256' as const, onlineRigMs: 1000 * DAY },
  { day, model: 'bitmain-antminer-z15', algorithm: 'Equihash' as const, onlineRigMs: 300 * DAY },
]);

function inputs(overrides: Partial<ReconciliationInputs> = {}): ReconciliationInputs {
  return {
    days,
    nowMs: Date.parse('2026-11-05T00:00:00Z'),
    payouts: [],
    hashValues: new Map([
      ['BTC/2026-11-01', '0.0000005'],
      ['BTC/2026-11-02', '0.0000005'],
      ['ZEC/2026-11-01', '0.002'],
    ]),
    poolShares: new Map(),
    online,
    tolerancePercent: '3',
    ...overrides,
  };
}

const payout = (pool: string, coin: Coin, amount: string, day: string) => ({
  pool,
  coin,
  amount,
  periodStart: `${day}T00:00:00Z`,
  periodEnd: `${day}T00:00:00Z`,
});

describe('reconcile', () => {
  it('expects rig-days × nominal hashrate × hash value from the single pool of a coin, and flags beyond tolerance', () => {
    // BTC expected a day: 1,000 × 44 TH/s × 0.0000005 = 0.022 BTC = 2,200,000 units.
    const lines = reconcile(
      inputs({
        payouts: [
          payout('Foundry', 'BTC', '2200000', '2026-11-01'),
          payout('Foundry', 'BTC', '2100000', '2026-11-02'),
        ],
      }),
    );
    expect(lines.filter((line) => line.coin === 'BTC')).toEqual([
      expect.objectContaining({
        day: '2026-11-01',
        pool: 'Foundry',
        hashrateShare: '1',
        expectedAmount: 2_200_000n,
        receivedAmount: 2_200_000n,
        varianceAmount: 0n,
        variancePercent: '0.00',
        complete: true,
        flagged: false,
      }),
      expect.objectContaining({
        day: '2026-11-02',
        expectedAmount: 2_200_000n,
        receivedAmount: 2_100_000n,
        varianceAmount: -100_000n,
        variancePercent: '-4.55',
        complete: true,
        flagged: true,
      }),
    ]);
  });

  it('splits the expected amount by the pools’ assigned shares', () => {
    // ZEC expected on the 1st: 300 × 420 kSol/s × 0.002 = 252 ZEC.
    const lines = reconcile(
      inputs({
        payouts: [
          payout('F2Pool', 'ZEC', '17640000000', '2026-11-01'),
          payout('Flypool', 'ZEC', '7500000000', '2026-11-01'),
        ],
        poolShares: new Map([
          [
            'ZEC',
            new Map([
              ['F2Pool', '0.7'],
              ['Flypool', '0.3'],
            ]),
          ],
        ]),
      }),
    );
    const zec = lines.filter((line) => line.coin === 'ZEC' && line.day === '2026-11-01');
    expect(zec.map((line) => [line.pool, line.expectedAmount, line.flagged])).toEqual([
      ['F2Pool', 17_640_000_000n, false],
      ['Flypool', 7_560_000_000n, false], // 0.79 % short: within 3 %
    ]);
  });

  it('never completes a day without its hash value, a day not over, or a pool without a share', () => {
    const lines = reconcile(
      inputs({
        nowMs: Date.parse('2026-11-02T12:00:00Z'),
        payouts: [
          payout('F2Pool', 'ZEC', '100', '2026-11-02'),
          payout('Foundry', 'BTC', '1', '2026-11-02'),
          payout('Antpool', 'BTC', '1', '2026-11-01'),
        ],
      }),
    );
    expect(lines.every((line) => !line.complete && !line.flagged)).toBe(true);
    // Two BTC pools and no assignment: neither is expected anything in particular.
    expect(lines.filter((line) => line.coin === 'BTC').map((line) => line.expectedAmount)).toEqual([
      null,
      null,
    ]);
  });

  it('flags a tolerance of its own setting', () => {
    const short = inputs({
      payouts: [payout('Foundry', 'BTC', '2100000', '2026-11-01')],
      tolerancePercent: '5',
    });
    expect(reconcile(short).find((line) => line.day === '2026-11-01')?.flagged).toBe(false);
  });
});
