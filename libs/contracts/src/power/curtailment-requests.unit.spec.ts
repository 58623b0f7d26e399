import { PostCurtailmentRequest, PutPriceRuleRequest } from './curtailment-requests';

describe('curtailment requests', () => {
  const rigId = '6f1c1d58-2a3b-4c5d-8e9f-0a1b2c3d4e5f';
  const endsAt = '2026-11-29T18:00:00Z';

  it('take exactly one of reduceByKw and targetLoadKw, with defaults for the rest', () => {
    expect(PostCurtailmentRequest.parse({ reduceByKw: 1000, endsAt, reason: 'grid event' })).toEqual({
      reduceByKw: 1000,
      endsAt,
      reason: 'grid event',
      protectedRigIds: [],
      modelOrder: [],
      dryRun: false,
    });
    expect(PostCurtailmentRequest.safeParse({ targetLoadKw: 0, endsAt, reason: 'r' }).success).toBe(true);
    expect(PostCurtailmentRequest.safeParse({ endsAt, reason: 'r' }).success).toBe(false);
    expect(
      PostCurtailmentRequest.safeParse({ reduceByKw: 1, targetLoadKw: 1, endsAt, reason: 'r' }).success,
    ).toBe(false);
    expect(PostCurtailmentRequest.safeParse({ reduceByKw: 0, endsAt, reason: 'r' }).success).toBe(false);
  });

  it('refuse an end not after the start, an unknown model, a rig that is not an id', () => {
    const base = { reduceByKw: 10, endsAt, reason: 'r' };
    expect(PostCurtailmentRequest.safeParse({ ...base, startsAt: endsAt }).success).toBe(false);
    expect(PostCurtailmentRequest.safeParse({ ...base, startsAt: '2026-11-29T17:00:00Z' }).success).toBe(
      true,
    );
    expect(PostCurtailmentRequest.safeParse({ ...base, modelOrder: ['no-such-model'] }).success).toBe(false);
    expect(PostCurtailmentRequest.safeParse({ ...base, protectedRigIds: [rigId] }).success).toBe(true);
    expect(PostCurtailmentRequest.safeParse({ ...base, protectedRigIds: ['rig-1'] }).success).toBe(false);
    expect(PostCurtailmentRequest.safeParse({ ...base, reason: ' ' }).success).toBe(false);
  });

  it('take a price rule: a decimal strike and a kW target', () => {
    expect(PutPriceRuleRequest.safeParse({ strikeUsdPerMwh: '120', curtailToKw: 500 }).success).toBe(true);
    expect(PutPriceRuleRequest.safeParse({ strikeUsdPerMwh: 120, curtailToKw: 500 }).success).toBe(false);
    expect(PutPriceRuleRequest.safeParse({ strikeUsdPerMwh: '120', curtailToKw: -1 }).success).toBe(false);
  });
});
