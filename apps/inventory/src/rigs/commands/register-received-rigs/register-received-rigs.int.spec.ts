import { feedCaughtUp, TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { eventCount } from '../../../../test/event-count';
import {
  openInventoryTestStore,
  registration,
  testMetadata,
  type InventoryTestStore,
} from '../../../../test/inventory-test-store';
import { receiptEnvelope } from '../../../../test/receipt-envelope';
import { rigIdOf, rigStreamId } from '../../domain/rig-id';
import { RigsReadModel } from '../../read-model/rigs.read-model';
import {
  INVENTORY_ACTOR,
  registerReceivedRigs,
  registerReceivedRigsInRun,
  UnreadableReceiptError,
} from './register-received-rigs';

describe.each(TEST_DRIVERS)('registering received rigs on %s', (driver) => {
  let fixture: InventoryTestStore;
  let readModel: RigsReadModel;

  beforeAll(async () => {
    fixture = await openInventoryTestStore(driver);
    readModel = new RigsReadModel(fixture.database.dataSource);
  });
  afterAll(() => fixture?.dispose());

  const register = (envelope: ReturnType<typeof receiptEnvelope>) =>
    fixture.store.transaction((session) => registerReceivedRigs(session, envelope));
  const countIn = async (facilityId: string) => (await readModel.summary(facilityId)).total;

  it('registers one rig per unit of a 1,000-unit event, in one append traced to the event', async () => {
    const envelope = receiptEnvelope(1000, { facilityId: 'tx-thousand', prefix: 'THOU' });
    // Nothing else writes to this fixture's store, so its head is exact once nothing is held back.
    await feedCaughtUp(fixture.store);
    const head = await fixture.store.headPosition();

    expect(await register(envelope)).toEqual({ registered: 1000, skipped: 0 });

    expect(await countIn('tx-thousand')).toBe(1000);
    await feedCaughtUp(fixture.store);
    const appended = await fixture.store.readAll({ after: head, limit: 2000 });
    expect(appended).toHaveLength(1000);
    expect(new Set(appended.map((event) => event.metadata.occurredAt)).size).toBe(1);
    const { events } = await fixture.store.readStream(rigStreamId(rigIdOf('THOU-000123')));
    expect(events).toHaveLength(1);
    const [registered] = events;
    expect(registered).toMatchObject({
      type: 'RigRegistered',
      streamType: 'rig',
      streamVersion: 1,
      data: {
        rigId: rigIdOf('THOU-000123'),
        serialNumber: 'THOU-000123',
        model: 'asicminer-8-nano-pro',
        facilityId: 'tx-thousand',
        source: {
          kind: 'shipment',
          orderId: envelope.data.orderId,
          shipmentId: envelope.data.shipmentId,
          receiptId: envelope.data.receiptId,
        },
      },
      metadata: {
        causationId: envelope.eventId,
        correlationId: envelope.correlationId,
        actor: INVENTORY_ACTOR,
        facilityId: 'tx-thousand',
      },
    });
  });

  it('registers nothing more when the same event comes twice', async () => {
    const envelope = receiptEnvelope(300, { facilityId: 'tx-twice', prefix: 'TWICE' });
    expect(await register(envelope)).toEqual({ registered: 300, skipped: 0 });
    const before = await eventCount(fixture.database.dataSource);

    expect(await register(envelope)).toEqual({ registered: 0, skipped: 300 });

    expect(await eventCount(fixture.database.dataSource)).toBe(before);
    expect(await countIn('tx-twice')).toBe(300);
  });

  it('skips a serial that was registered by hand first and registers the rest', async () => {
    await fixture.store.appendToStreams([registration('HAND-000001', 'tx-hand')], testMetadata('tx-hand'));
    const envelope = receiptEnvelope(3, { facilityId: 'tx-hand', prefix: 'HAND' });

    expect(await register(envelope)).toEqual({ registered: 2, skipped: 1 });

    const handMade = await readModel.findById(rigIdOf('HAND-000001'));
    expect(handMade).toMatchObject({ version: 1 });
    const { events } = await fixture.store.readStream(rigStreamId(rigIdOf('HAND-000001')));
    expect(events[0].data).toMatchObject({ source: { kind: 'manual' } });
    expect(await countIn('tx-hand')).toBe(3);
  });

  it('registers a serial listed twice in one event once', async () => {
    const unit = { serialNumber: 'DUP-1', model: 'bitmain-antminer-z15' };
    expect(await register(receiptEnvelope([unit, unit], { facilityId: 'tx-dup' }))).toEqual({
      registered: 1,
      skipped: 1,
    });
    expect(await readModel.findById(rigIdOf('DUP-1'))).toMatchObject({ model: 'bitmain-antminer-z15' });
  });

  it('registers a run of events in one append, a serial two of them list by the first', async () => {
    const first = receiptEnvelope(3, { facilityId: 'tx-run', prefix: 'RUNS' });
    const second = receiptEnvelope(3, { facilityId: 'tx-run', prefix: 'RUNS', first: 2 });
    await feedCaughtUp(fixture.store);
    const head = await fixture.store.headPosition();

    expect(
      await fixture.store.transaction((session) => registerReceivedRigsInRun(session, [first, second])),
    ).toEqual([
      { registered: 3, skipped: 0 },
      { registered: 2, skipped: 1 },
    ]);

    expect(await countIn('tx-run')).toBe(5);
    await feedCaughtUp(fixture.store);
    const appended = await fixture.store.readAll({ after: head, limit: 10 });
    expect(appended.map((event) => [event.data, event.metadata.causationId])).toEqual([
      [expect.objectContaining({ serialNumber: 'RUNS-000000' }), first.eventId],
      [expect.objectContaining({ serialNumber: 'RUNS-000001' }), first.eventId],
      [expect.objectContaining({ serialNumber: 'RUNS-000002' }), first.eventId],
      [expect.objectContaining({ serialNumber: 'RUNS-000003' }), second.eventId],
      [expect.objectContaining({ serialNumber: 'RUNS-000004' }), second.eventId],
    ]);
    expect(appended[4].metadata).toMatchObject({
      correlationId: second.correlationId,
      actor: INVENTORY_ACTOR,
    });
  });

  it('refuses a run with an unreadable event and registers nothing of it', async () => {
    const good = receiptEnvelope(2, { facilityId: 'tx-run-bad', prefix: 'RUNBAD' });
    const bad = receiptEnvelope(1, { facilityId: 'tx-run-bad', prefix: 'RUNBAD-X' });
    const before = await eventCount(fixture.database.dataSource);
    await expect(
      fixture.store.transaction((session) =>
        registerReceivedRigsInRun(session, [good, { ...bad, schemaVersion: 2 }]),
      ),
    ).rejects.toBeInstanceOf(UnreadableReceiptError);
    expect(await eventCount(fixture.database.dataSource)).toBe(before);
  });

  it('keeps the MAC address of a unit', async () => {
    await register(
      receiptEnvelope([
        { serialNumber: 'MAC-R-1', model: 'asicminer-8-nano', macAddress: 'AA:BB:CC:DD:EE:FF' },
      ]),
    );
    expect(await readModel.findById(rigIdOf('MAC-R-1'))).toMatchObject({ macAddress: 'AA:BB:CC:DD:EE:FF' });
  });

  it.each([
    ['a model outside the catalogue', { units: [{ serialNumber: 'BAD-1', model: 'antminer-x99' }] }],
    ['no units', { units: [] }],
    ['a facility that is not a subject token', { facilityId: 'tx.01' }],
  ])('refuses an event with %s and registers nothing', async (_case, override) => {
    const envelope = receiptEnvelope(2, { prefix: 'REFUSED' });
    const before = await eventCount(fixture.database.dataSource);
    await expect(register({ ...envelope, data: { ...envelope.data, ...override } })).rejects.toBeInstanceOf(
      UnreadableReceiptError,
    );
    expect(await eventCount(fixture.database.dataSource)).toBe(before);
  });

  it('refuses an event of another type or schema version', async () => {
    const envelope = receiptEnvelope(1, { prefix: 'OTHER' });
    await expect(register({ ...envelope, type: 'ShipmentUnitsDamaged' })).rejects.toThrow(
      /expected ShipmentUnitsReceived v1/,
    );
    await expect(register({ ...envelope, schemaVersion: 2 })).rejects.toBeInstanceOf(UnreadableReceiptError);
  });

  it('registers 12,000 rigs, 12 events of 1,000, one by one or as one run', async () => {
    const timings: number[] = [];
    for (let part = 0; part < 12; part++) {
      const envelope = receiptEnvelope(1000, { facilityId: 'tx-12k', prefix: 'BENCH', first: part * 1000 });
      const started = performance.now();
      await register(envelope);
      timings.push(performance.now() - started);
    }
    expect(await countIn('tx-12k')).toBe(12_000);
    const run = Array.from({ length: 12 }, (_, part) =>
      receiptEnvelope(1000, { facilityId: 'tx-12k-run', prefix: 'BENCHRUN', first: part * 1000 }),
    );
    const runStarted = performance.now();
    const registrations = await fixture.store.transaction((session) =>
      registerReceivedRigsInRun(session, run),
    );
    const runMs = performance.now() - runStarted;
    expect(registrations.every(({ registered }) => registered === 1000)).toBe(true);
    expect(await countIn('tx-12k-run')).toBe(12_000);
    const total = timings.reduce((sum, ms) => sum + ms, 0);
    // Printed, not asserted: on a shared, busy machine a wall-clock bound fails for the machine's
    // sake (the bench measures it: receive-12000-units-until-listed).
    process.stdout.write(
      `[inventory] ${driver}: 12 receipt events of 1,000 registered in ${total.toFixed(0)} ms ` +
        `(per event ${timings.map((ms) => ms.toFixed(0)).join(', ')}); as one run in ${runMs.toFixed(0)} ms\n`,
    );
  });
});
