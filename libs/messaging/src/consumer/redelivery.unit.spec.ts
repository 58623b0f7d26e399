import { retryDelayMs } from './redelivery';

describe('redelivery delays', () => {
  it('naks with the step of the failed attempt, repeating the last', () => {
    const steps = [100, 500, 2000];
    expect([1, 2, 3, 4, 9].map((attempt) => retryDelayMs(steps, attempt))).toEqual([
      100, 500, 2000, 2000, 2000,
    ]);
    expect(retryDelayMs([], 3)).toBe(0);
  });
});
