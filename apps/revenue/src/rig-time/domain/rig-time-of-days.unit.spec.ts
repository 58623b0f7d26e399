import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@fleet/contracts';
import { poweredRigs, rigEnvelope } from '../../../test/rig-envelope';
import { rigTimeChangesOf, type RigTimeChange } from './rig-time-change';
import { rigTimeOfDays, type RigTimeSum } from './rig-time-of-days';

const facilityId = 'us-tx-01';
const HOUR = 3_600_000;

const envelope = (type: string, occurredAt: string, data: Record<string, unknown>): EventEnvelope =>
  rigEnvelope(type, facilityId, occurredAt, data);
const rigs = poweredRigs;

const part = { facilityId, requestId: randomUUID(), part: 1, parts: 1 };

/** Adds changes up as the table's upserts do. */
function sumsOf(changes: readonly RigTimeChange[]): RigTimeSum[] {
  const sums = new Map<string, RigTimeSum>();
  for (const change of changes) {
    const key = `${change.day}/${change.measure}/${change.model}`;
    const before = sums.get(key);
    sums.set(key, {
      day: change.day,
      measure: change.measure,
      model: change.model,
      netRigs: (before?.netRigs ?? 0) + change.netRigs,
      offsetMs: (before?.offsetMs ?? 0) + change.offsetMs,
    });
  }
  return [...sums.values()];
}

const onlineHours = (sums: RigTimeSum[], days: string[], now: string) =>
  rigTimeOfDays(sums, days, Date.parse(now)).online.map((entry) => [
    entry.day,
    entry.model,
    entry.onlineRigMs / HOUR,
  ]);

describe('rig time', () => {
  const events = [
    envelope('PowerAllocated', '2026-11-01T18:00:00Z', { ...part, rigs: rigs(10) }),
    envelope('RigsCurtailed', '2026-11-02T12:00:00Z', {
      facilityId,
      curtailmentId: randomUUID(),
      part: 1,
      parts: 1,
      targetLoadWatts: 0,
      rigs: rigs(4),
    }),
    envelope('CurtailmentEnded', '2026-11-02T15:00:00Z', {
      facilityId,
      curtailmentId: randomUUID(),
      part: 1,
      parts: 1,
      ending: 'scheduled',
      restored: rigs(3),
      notRestored: [{ rigId: randomUUID(), reason: 'facility-capacity' }],
      handedOverTo: null,
      handedOver: [],
    }),
    envelope('PowerReleased', '2026-11-03T06:00:00Z', { ...part, reason: 'requested', rigs: rigs(9) }),
  ];

  it('splits an interval open at the end of a day across the days, counting each day to its end', () => {
    const sums = sumsOf(events.flatMap(rigTimeChangesOf));
    expect(
      onlineHours(sums, ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'], '2026-11-10T00:00:00Z'),
    ).toEqual([
      ['2026-11-01', 'asicminer-8-nano', 60], // 10 rigs × 6 h
      // 10 × 24 h − 4 rigs off for the 3 h of the curtailment, 1 of them for the rest of the day (9 h)
      ['2026-11-02', 'asicminer-8-nano', 240 - 12 - 9],
      ['2026-11-03', 'asicminer-8-nano', 9 * 6],
    ]);
  });

  it('counts a day not yet over up to now, and a day to come not at all', () => {
    // What has happened by 06:00 on the 2nd: the allocation only.
    const sums = sumsOf(rigTimeChangesOf(events[0]));
    expect(onlineHours(sums, ['2026-11-01', '2026-11-02', '2026-11-03'], '2026-11-02T06:00:00Z')).toEqual([
      ['2026-11-01', 'asicminer-8-nano', 60],
      ['2026-11-02', 'asicminer-8-nano', 60],
    ]);
  });

  it('comes out the same whatever order the events are counted in (the consumers run side by side)', () => {
    const days = ['2026-11-01', '2026-11-02', '2026-11-03'];
    const inOrder = onlineHours(sumsOf(events.flatMap(rigTimeChangesOf)), days, '2026-12-01T00:00:00Z');
    const reversed = onlineHours(
      sumsOf([...events].reverse().flatMap(rigTimeChangesOf)),
      days,
      '2026-12-01T00:00:00Z',
    );
    expect(reversed).toEqual(inOrder);
  });

  it('counts installed time from inventory’s slots, and a rig that leaves no slot not at all', () => {
    const rigId = randomUUID();
    const sums = sumsOf(
      [
        envelope('RigInstalled', '2026-11-01T12:00:00Z', { rigId, facilityId, rack: 'A-1', slot: 1 }),
        envelope('RigInstalled', '2026-11-01T00:00:00Z', {
          rigId: randomUUID(),
          facilityId,
          rack: 'A-1',
          slot: 2,
        }),
        envelope('RigSentToRepair', '2026-11-02T06:00:00Z', {
          rigId,
          facilityId,
          reason: 'fan',
          vacated: { rack: 'A-1', slot: 1 },
        }),
        envelope('RigDecommissioned', '2026-11-02T06:00:00Z', {
          rigId: randomUUID(),
          facilityId,
          reason: 'dead on arrival',
        }),
      ].flatMap(rigTimeChangesOf),
    );
    const { installedRigMs } = rigTimeOfDays(
      sums,
      ['2026-11-01', '2026-11-02'],
      Date.parse('2026-11-05T00:00:00Z'),
    );
    expect(Object.fromEntries([...installedRigMs].map(([day, ms]) => [day, ms / HOUR]))).toEqual({
      '2026-11-01': 36,
      '2026-11-02': 30,
    });
  });

  it('dead-letters an event it cannot read', () => {
    expect(() => rigTimeChangesOf(envelope('PowerAllocated', '2026-11-01T00:00:00Z', { rigs: [] }))).toThrow(
      /cannot count rig time/,
    );
    expect(() =>
      rigTimeChangesOf({ ...envelope('RigInstalled', '2026-11-01T00:00:00Z', {}), schemaVersion: 2 }),
    ).toThrow(/expected RigInstalled v1/);
  });
});
