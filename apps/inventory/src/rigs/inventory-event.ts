import { INVENTORY_EVENTS, type InventoryEvent } from '@fleet/contracts';
import type { RecordedEvent } from '@fleet/event-sourcing';

const INVENTORY_EVENT_TYPES: ReadonlySet<string> = new Set(
  INVENTORY_EVENTS.map((definition) => definition.type),
);

/**
 * The domain event inside a recorded one. The store holds only what this service's deciders
 * produced (upcast to the current schema on read), so the type names the data's shape.
 */
export function inventoryEventOf(recorded: RecordedEvent): InventoryEvent | undefined {
  if (!INVENTORY_EVENT_TYPES.has(recorded.type)) return undefined;
  return { type: recorded.type, data: recorded.data } as InventoryEvent;
}
