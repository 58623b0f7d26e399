import { DomainError, UniquenessViolationError } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { eventCount } from '../../../test/event-count';
import {
  openInventoryTestStore,
  registration,
  rigEvent,
  testMetadata,
  type InventoryTestStore,
} from '../../../test/inventory-test-store';
import { SlotTakenError } from '../domain/rig.errors';
import { rigIdOf } from '../domain/rig-id';
import { RigEntity } from './rig.entity';
import { RigSlotEntity } from './rig-slot.entity';
import { RigsReadModel } from './rigs.read-model';

const facilityId = 'tx-01';

function installed(serialNumber: string, rack: string, slot: number) {
  return { type: 'RigInstalled' as const, data: { rigId: rigIdOf(serialNumber), facilityId, rack, slot } };
}

describe.each(TEST_DRIVERS)('rig projections on %s', (driver) => {
  let fixture: InventoryTestStore;
  let readModel: RigsReadModel;

  beforeAll(async () => {
    fixture = await openInventoryTestStore(driver);
    readModel = new RigsReadModel(fixture.database.dataSource);
  });
  afterAll(() => fixture?.dispose());

  const rig = (serialNumber: string) => readModel.findById(rigIdOf(serialNumber));
  const slots = () =>
    fixture.database.dataSource.getRepository(RigSlotEntity).find({ order: { rack: 'ASC', slot: 'ASC' } });

  it('writes one row per registered rig, a thousand in one append', async () => {
    const serials = Array.from({ length: 1000 }, (_, index) => `BULK-${String(index).padStart(4, '0')}`);
    const at = '2026-11-02T08:00:00.000Z';
    await fixture.store.appendToStreams(
      serials.map((serial) => registration(serial, 'tx-bulk', 'bitmain-antminer-s21')),
      testMetadata('tx-bulk', { occurredAt: at }),
    );
    const rows = await fixture.database.dataSource.getRepository(RigEntity).findBy({ facilityId: 'tx-bulk' });
    expect(rows).toHaveLength(1000);
    expect(await rig('BULK-0999')).toEqual({
      id: rigIdOf('BULK-0999'),
      serialNumber: 'BULK-0999',
      model: 'bitmain-antminer-s21',
      facilityId: 'tx-bulk',
      status: 'received',
      rack: null,
      slot: null,
      macAddress: null,
      version: 1,
      facilityPowerVersion: null,
      registeredAt: at,
      updatedAt: at,
    });
  });

  it('keeps the MAC address of a registration', async () => {
    const serialNumber = 'MAC-1';
    const rigId = rigIdOf(serialNumber);
    const append = registration(serialNumber);
    await fixture.store.appendToStreams(
      [
        {
          ...append,
          events: [
            {
              type: 'RigRegistered',
              data: {
                rigId,
                serialNumber,
                model: 'asicminer-8-nano',
                facilityId,
                macAddress: '00:1A:2B:3C:4D:5E',
                source: { kind: 'manual' },
              },
            },
          ],
        },
      ],
      testMetadata(facilityId),
    );
    expect(await rig(serialNumber)).toMatchObject({
      macAddress: '00:1A:2B:3C:4D:5E',
      model: 'asicminer-8-nano',
    });
  });

  it('follows a rig through install, repair, return, reinstall and decommission, slot included', async () => {
    const serial = 'LIFE-1';
    const meta = testMetadata(facilityId, { occurredAt: '2026-11-02T09:00:00.000Z' });
    await fixture.store.appendToStreams([registration(serial)], meta);

    await fixture.store.appendToStreams([rigEvent(serial, 1, installed(serial, 'A-1', 3))], {
      ...meta,
      occurredAt: '2026-11-02T10:00:00.000Z',
    });
    expect(await rig(serial)).toMatchObject({
      status: 'installed',
      rack: 'A-1',
      slot: 3,
      version: 2,
      registeredAt: '2026-11-02T09:00:00.000Z',
      updatedAt: '2026-11-02T10:00:00.000Z',
    });
    expect(await slots()).toEqual([{ facilityId, rack: 'A-1', slot: 3, rigId: rigIdOf(serial) }]);

    const rigId = rigIdOf(serial);
    await fixture.store.appendToStreams(
      [
        rigEvent(serial, 2, {
          type: 'RigSentToRepair',
          data: { rigId, facilityId, reason: 'fan', vacated: { rack: 'A-1', slot: 3 } },
        }),
      ],
      meta,
    );
    expect(await rig(serial)).toMatchObject({ status: 'in_repair', rack: null, slot: null, version: 3 });
    expect(await slots()).toEqual([]);

    await fixture.store.appendToStreams(
      [rigEvent(serial, 3, { type: 'RigReturnedFromRepair', data: { rigId, facilityId } })],
      meta,
    );
    expect(await rig(serial)).toMatchObject({ status: 'received', version: 4 });

    await fixture.store.appendToStreams([rigEvent(serial, 4, installed(serial, 'B-2', 7))], meta);
    expect(await rig(serial)).toMatchObject({ status: 'installed', rack: 'B-2', slot: 7, version: 5 });

    await fixture.store.appendToStreams(
      [
        rigEvent(serial, 5, {
          type: 'RigDecommissioned',
          data: { rigId, facilityId, reason: 'end of life', vacated: { rack: 'B-2', slot: 7 } },
        }),
      ],
      meta,
    );
    expect(await rig(serial)).toMatchObject({ status: 'decommissioned', rack: null, slot: null, version: 6 });
    expect(await slots()).toEqual([]);
  });

  it('refuses a second rig in a slot, names the occupant, and appends nothing', async () => {
    await fixture.store.appendToStreams(
      [registration('OCC-1'), registration('OCC-2')],
      testMetadata(facilityId),
    );
    await fixture.store.appendToStreams(
      [rigEvent('OCC-1', 1, installed('OCC-1', 'C-1', 1))],
      testMetadata(facilityId),
    );
    const before = await eventCount(fixture.database.dataSource);

    const attempt = fixture.store.appendToStreams(
      [rigEvent('OCC-2', 1, installed('OCC-2', 'C-1', 1))],
      testMetadata(facilityId),
    );
    await expect(attempt).rejects.toBeInstanceOf(SlotTakenError);
    await expect(attempt).rejects.toMatchObject({
      kind: 'conflict',
      code: 'slot-taken',
      message: 'slot C-1/1 in facility tx-01 is taken by rig OCC-1',
      details: {
        slots: [
          { facilityId, rack: 'C-1', slot: 1, occupant: { rigId: rigIdOf('OCC-1'), serialNumber: 'OCC-1' } },
        ],
      },
    });
    expect(await eventCount(fixture.database.dataSource)).toBe(before);
    expect(await rig('OCC-2')).toMatchObject({ status: 'received', version: 1 });
  });

  it('lets the same rack and slot be used in another facility', async () => {
    await fixture.store.appendToStreams([registration('OTHER-FAC', 'ca-02')], testMetadata('ca-02'));
    await fixture.store.appendToStreams(
      [
        rigEvent('OTHER-FAC', 1, {
          type: 'RigInstalled',
          data: { rigId: rigIdOf('OTHER-FAC'), facilityId: 'ca-02', rack: 'C-1', slot: 1 },
        }),
      ],
      testMetadata('ca-02'),
    );
    expect(await rig('OTHER-FAC')).toMatchObject({
      status: 'installed',
      facilityId: 'ca-02',
      rack: 'C-1',
      slot: 1,
    });
  });

  it('refuses two rigs for one slot within one append', async () => {
    await fixture.store.appendToStreams(
      [registration('TWIN-1'), registration('TWIN-2')],
      testMetadata(facilityId),
    );
    await expect(
      fixture.store.appendToStreams(
        [
          rigEvent('TWIN-1', 1, installed('TWIN-1', 'D-1', 1)),
          rigEvent('TWIN-2', 1, installed('TWIN-2', 'D-1', 1)),
        ],
        testMetadata(facilityId),
      ),
    ).rejects.toMatchObject({
      code: 'slot-taken',
      message: expect.stringContaining('slot D-1/1 in facility tx-01'),
    });
    expect(await rig('TWIN-1')).toMatchObject({ status: 'received' });
  });

  it('frees a slot and fills it again within one append, in event order', async () => {
    await fixture.store.appendToStreams(
      [registration('SWAP-1'), registration('SWAP-2')],
      testMetadata(facilityId),
    );
    await fixture.store.appendToStreams(
      [rigEvent('SWAP-1', 1, installed('SWAP-1', 'E-1', 1))],
      testMetadata(facilityId),
    );
    await fixture.store.appendToStreams(
      [
        rigEvent('SWAP-1', 2, {
          type: 'RigDecommissioned',
          data: { rigId: rigIdOf('SWAP-1'), facilityId, reason: 'dead', vacated: { rack: 'E-1', slot: 1 } },
        }),
        rigEvent('SWAP-2', 1, installed('SWAP-2', 'E-1', 1)),
      ],
      testMetadata(facilityId),
    );
    expect(await rig('SWAP-2')).toMatchObject({ status: 'installed', rack: 'E-1', slot: 1 });
    expect((await slots()).filter((slot) => slot.rack === 'E-1')).toEqual([
      { facilityId, rack: 'E-1', slot: 1, rigId: rigIdOf('SWAP-2') },
    ]);
  });

  it('applies a registration and an install of the same rig in one append', async () => {
    const serial = 'ONE-GO';
    const first = registration(serial);
    await fixture.store.appendToStreams(
      [{ ...first, events: [...first.events, installed(serial, 'F-1', 2)] }],
      testMetadata(facilityId),
    );
    expect(await rig(serial)).toMatchObject({ status: 'installed', rack: 'F-1', slot: 2, version: 2 });
  });

  it('updates a thousand rigs in one append', async () => {
    const serials = Array.from({ length: 1000 }, (_, index) => `RACK-${index}`);
    await fixture.store.appendToStreams(
      serials.map((serial) => registration(serial, 'tx-rack')),
      testMetadata('tx-rack'),
    );
    await fixture.store.appendToStreams(
      serials.map((serial, index) =>
        rigEvent(serial, 1, {
          type: 'RigInstalled',
          data: {
            rigId: rigIdOf(serial),
            facilityId: 'tx-rack',
            rack: `R-${Math.floor(index / 100)}`,
            slot: (index % 100) + 1,
          },
        }),
      ),
      testMetadata('tx-rack'),
    );
    const summary = await readModel.summary('tx-rack');
    expect(summary.byStatus.installed).toBe(1000);
    expect(await rig('RACK-999')).toMatchObject({ rack: 'R-9', slot: 100, version: 2 });
  });

  it('answers a slot lost to a concurrent install with a conflict, never a 500', async () => {
    // On SQLite transactions are serialised, so this only races for real on PostgreSQL; on both,
    // the outcome must be one install and one conflict.
    await fixture.store.appendToStreams(
      [registration('RACE-1'), registration('RACE-2')],
      testMetadata(facilityId),
    );
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstAppended!: () => void;
    const firstHasAppended = new Promise<void>((resolve) => (firstAppended = resolve));

    const first = fixture.store.transaction(async (session) => {
      await session.append([rigEvent('RACE-1', 1, installed('RACE-1', 'G-1', 1))], testMetadata(facilityId));
      firstAppended();
      await firstMayCommit;
    });
    await firstHasAppended;
    const second = fixture.store.appendToStreams(
      [rigEvent('RACE-2', 1, installed('RACE-2', 'G-1', 1))],
      testMetadata(facilityId),
    );
    // Give the second writer time to reach the slot's unique key (PostgreSQL) or the lock (SQLite).
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    await first;
    const outcome = await second.then(
      () => 'installed',
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(DomainError);
    expect((outcome as DomainError).kind).toBe('conflict');
    if (driver === 'postgres') expect(outcome).toBeInstanceOf(UniquenessViolationError);
    else expect(outcome).toBeInstanceOf(SlotTakenError);
    expect(await rig('RACE-2')).toMatchObject({ status: 'received' });
  });
});
