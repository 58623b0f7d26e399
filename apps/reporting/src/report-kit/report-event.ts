import {
  EnergyCostAccrued,
  EnergyPricesPosted,
  INVENTORY_EVENTS,
  POWER_EVENTS,
  PROCUREMENT_EVENTS,
  REVENUE_EVENTS,
  type AnyEventDefinition,
  type EventEnvelope,
  type EventOf,
} from '@fleet/contracts';
import { PoisonMessageError } from '@fleet/messaging';

/** Every event type a report folds. Power's later events (curtailment, meter readings) join here. */
const REPORTED_DEFINITIONS = [
  ...PROCUREMENT_EVENTS,
  ...INVENTORY_EVENTS,
  ...POWER_EVENTS,
  EnergyCostAccrued,
  EnergyPricesPosted,
  ...REVENUE_EVENTS,
] as const;

type ReportedDefinition = (typeof REPORTED_DEFINITIONS)[number];

/** Where and when an event happened, as its envelope says. */
export interface EventMeta {
  readonly eventId: string;
  readonly facilityId: string;
  readonly occurredAt: string;
  /** The producing service's global position, a decimal string. */
  readonly position: string;
}

/** A known event with its data checked against the contract, and its envelope's facts. */
export type ReportEvent = ReportedDefinition extends infer D
  ? D extends AnyEventDefinition
    ? EventOf<D> & { readonly meta: EventMeta }
    : never
  : never;

const definitionsByType = new Map<string, AnyEventDefinition>(
  REPORTED_DEFINITIONS.map((definition) => [definition.type, definition]),
);

/**
 * The envelope as a typed event, or undefined for an event type no report knows yet (a context's
 * newer event: the consumer moves past it, and a rebuild picks it up once a fold handles it).
 * Data that breaks its contract is poison: no retry can fix it.
 */
export function reportEventOf(envelope: EventEnvelope): ReportEvent | undefined {
  const definition = definitionsByType.get(envelope.type);
  if (!definition) return undefined;
  const parsed = definition.schema.safeParse(envelope.data);
  if (!parsed.success)
    throw new PoisonMessageError(
      `${envelope.type} ${envelope.eventId} breaks its contract: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  const meta: EventMeta = {
    eventId: envelope.eventId,
    facilityId: envelope.facilityId,
    occurredAt: envelope.occurredAt,
    position: envelope.position,
  };
  return { type: envelope.type, data: parsed.data, meta } as ReportEvent;
}
