import { type Upcaster, Upcasters } from './upcasting';

/** A payload as PowerAllocated v1 stored it: watts as a number. */
const storedV1 = { rigId: 'rig-1', watts: 3250 };

const v1ToV2: Upcaster = {
  type: 'PowerAllocated',
  fromVersion: 1,
  upcast: (data) => {
    const { rigId, watts } = data as { rigId: string; watts: number };
    return { rigId, power: { watts } };
  },
};
const v2ToV3: Upcaster = {
  type: 'PowerAllocated',
  fromVersion: 2,
  upcast: (data) => ({ ...(data as object), curtailable: true }),
};

describe('Upcasters', () => {
  it('brings a stored payload up one step at a time to the current version', () => {
    const upcasters = new Upcasters([v2ToV3, v1ToV2]);
    expect(upcasters.upcast('PowerAllocated', 1, storedV1, 3)).toEqual({
      schemaVersion: 3,
      data: { rigId: 'rig-1', power: { watts: 3250 }, curtailable: true },
    });
    expect(upcasters.upcast('PowerAllocated', 2, { rigId: 'rig-2', power: { watts: 1 } }, 3)).toEqual({
      schemaVersion: 3,
      data: { rigId: 'rig-2', power: { watts: 1 }, curtailable: true },
    });
  });

  it('leaves an event at its current version untouched', () => {
    const data = { rigId: 'rig-1', power: { watts: 1 } };
    const result = new Upcasters([v1ToV2]).upcast('PowerAllocated', 2, data, 2);
    expect(result).toEqual({ schemaVersion: 2, data });
    expect(result.data).toBe(data);
  });

  it('refuses a gap in the chain instead of handing out an old shape', () => {
    expect(() => new Upcasters([v1ToV2]).upcast('PowerAllocated', 1, storedV1, 3)).toThrow(
      'no upcaster for PowerAllocated from schema version 2 to 3',
    );
    expect(() => new Upcasters().upcast('RigInstalled', 1, {}, 2)).toThrow(/no upcaster for RigInstalled/);
  });

  it('refuses two upcasters for the same step', () => {
    expect(() => new Upcasters([v1ToV2, { ...v1ToV2 }])).toThrow('two upcasters for PowerAllocated@1');
  });
});
