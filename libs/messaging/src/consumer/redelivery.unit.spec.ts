import { outageDelayMs, retryDelayMs } from './redelivery';

describe('redelivery delays', () => {
  it('naks with the step of the failed attempt, repeating the last', () => {
    const steps = [100, 500, 2000];
    expect([1, 2, 3, 4, 9].map((attempt) => retryDelayMs(steps, attempt))).toEqual([
      100, 500, 2000, 2000, 2000,
    ]);
    expect(retryDelayMs([], 3)).toBe(0);
  });
});

describe('outageDelayMs', () => {
  it('doubles from 500 ms and stays at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(outageDelayMs)).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});
