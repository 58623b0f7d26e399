import { PowerRequest, PutCapacityRequest } from './requests';

describe('power requests', () => {
  const rigId = '6f1c1d58-2a3b-4c5d-8e9f-0a1b2c3d4e5f';

  it('take exactly one selector', () => {
    expect(PowerRequest.safeParse({ rigIds: [rigId] }).data).toEqual({ rigIds: [rigId], dryRun: false });
    expect(PowerRequest.safeParse({ racks: ['A01'], dryRun: true }).success).toBe(true);
    expect(PowerRequest.safeParse({ all: true }).success).toBe(true);
    expect(PowerRequest.safeParse({}).success).toBe(false);
    expect(PowerRequest.safeParse({ all: true, racks: ['A01'] }).success).toBe(false);
    expect(PowerRequest.safeParse({ all: false }).success).toBe(false);
  });

  it('take a capacity schedule in increasing order, kW in whole watts, PUE from 1 to 3', () => {
    const seed = { schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 3000 }], pue: 1.05 };
    expect(PutCapacityRequest.parse(seed)).toEqual({ ...seed, reserveKw: 0 });
    const steps = [
      { effectiveFrom: '2027-06-01', capacityKw: 30000 },
      { effectiveFrom: '2026-10-01', capacityKw: 3000 },
    ];
    expect(PutCapacityRequest.safeParse({ ...seed, schedule: steps }).success).toBe(false);
    expect(
      PutCapacityRequest.safeParse({
        ...seed,
        schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 0.0001 }],
      }).success,
    ).toBe(false);
    expect(PutCapacityRequest.safeParse({ ...seed, pue: 0.9 }).success).toBe(false);
    expect(PutCapacityRequest.safeParse({ ...seed, reserveKw: -1 }).success).toBe(false);
  });
});
