import type { AnyEventDefinition } from './event-definition';
import { INVENTORY_EVENTS } from './inventory/events';
import { POWER_EVENTS } from './power/events';
import { PROCUREMENT_EVENTS } from './procurement/events';
import { REVENUE_EVENTS } from './revenue/events';
import type { BoundedContext } from './subjects';

/** Every event each context publishes: what its service describes and Fleet's whole document. */
export const CONTEXT_EVENTS: Readonly<Record<BoundedContext, readonly AnyEventDefinition[]>> = {
  procurement: PROCUREMENT_EVENTS,
  inventory: INVENTORY_EVENTS,
  power: POWER_EVENTS,
  revenue: REVENUE_EVENTS,
};
