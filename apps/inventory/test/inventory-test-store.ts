import { INVENTORY_EVENTS, schemaVersionsOf, type InventoryEvent } from '@fleet/contracts';
import {
  createEventStore,
  type EventMetadata,
  type EventStore,
  type StreamAppend,
} from '@fleet/event-sourcing';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { INVENTORY_MIGRATIONS } from '../src/migrations';
import { RIG_STREAM_TYPE, rigIdOf, rigStreamId } from '../src/rigs/domain/rig-id';
import { RigEntity } from '../src/rigs/read-model/rig.entity';
import { RigSlotEntity } from '../src/rigs/read-model/rig-slot.entity';
import { RigSlotsProjection } from '../src/rigs/read-model/rig-slots.projection';
import { RigsProjection } from '../src/rigs/read-model/rigs.projection';

export interface InventoryTestStore {
  readonly database: TestDatabase;
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/** A fresh migrated database with the inventory's event store and inline projections on it. */
export async function openInventoryTestStore(driver: TestDriver): Promise<InventoryTestStore> {
  const database = await createTestDatabase(driver, {
    entities: [RigEntity, RigSlotEntity],
    migrations: INVENTORY_MIGRATIONS,
  });
  const store = createEventStore(database.dataSource, {
    schemaVersions: schemaVersionsOf(INVENTORY_EVENTS),
    projections: [RigsProjection, RigSlotsProjection],
  });
  return { database, store, dispose: () => database.dispose() };
}

export function testMetadata(facilityId: string, overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    correlationId: 'test-correlation',
    causationId: null,
    actor: 'operations:test',
    facilityId,
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

/** The append that registers `serialNumber` by hand, as `POST /rigs` does. */
export function registration(
  serialNumber: string,
  facilityId = 'tx-01',
  model = 'asicminer-8-nano-pro',
): StreamAppend {
  const rigId = rigIdOf(serialNumber);
  return {
    streamId: rigStreamId(rigId),
    streamType: RIG_STREAM_TYPE,
    expectedVersion: 'no_stream',
    events: [
      { type: 'RigRegistered', data: { rigId, serialNumber, model, facilityId, source: { kind: 'manual' } } },
    ],
  };
}

/** The append of one more event to a rig's stream at `version`. */
export function rigEvent(serialNumber: string, version: number, event: InventoryEvent): StreamAppend {
  return {
    streamId: rigStreamId(rigIdOf(serialNumber)),
    streamType: RIG_STREAM_TYPE,
    expectedVersion: version,
    events: [event],
  };
}
