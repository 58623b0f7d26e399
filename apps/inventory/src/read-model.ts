import { RigSlotRecordSchema } from './rigs/rig-slot.record';
import { RigRecordSchema } from './rigs/rig.record';

/** The inventory's query tables as TypeORM entities (their tables come from `INVENTORY_MIGRATIONS`). */
export const INVENTORY_ENTITIES = [RigRecordSchema, RigSlotRecordSchema];
