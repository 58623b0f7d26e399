import { EventPattern } from '@nestjs/microservices';
import { subjectOfTypeInAnyFacility, type AnyEventDefinition, type BoundedContext } from '@fleet/contracts';
import type { JetStreamPatternExtras } from './jetstream.transport';

/**
 * `@EventPattern` for the JetStream transport. Nest 12 types a string pattern as a key of an event
 * map and then wants the handler's first parameter to accept `{}`, which an
 * `EventEnvelope<...>` parameter does not; this picks the untyped overload instead.
 */
export function JetStreamEventPattern(pattern: string, extras: JetStreamPatternExtras = {}): MethodDecorator {
  return EventPattern<string>(pattern, { ...extras });
}

/**
 * Handles one event type of the contracts from every facility:
 * `@OnEvent(ShipmentUnitsReceived) receive(@Payload() envelope: EventEnvelope<...>, @Ctx() ctx: JetStreamContext)`.
 * The durable consumer is `<service>-<EventType>` unless `extras.consumer` names it.
 */
export function OnEvent(
  definition: AnyEventDefinition,
  extras: JetStreamPatternExtras = {},
): MethodDecorator {
  return JetStreamEventPattern(subjectOfTypeInAnyFacility(definition.context, definition.type), extras);
}

/**
 * Handles every event of one context, from every facility, in the stream's order: one durable
 * consumer `<service>-<context>` (e.g. `reporting-power`). For a reader whose folds need the
 * context's events in order across types (reports); event types it does not know yet arrive too.
 */
export function OnContextEvents(context: BoundedContext): MethodDecorator {
  return JetStreamEventPattern(`fleet.${context}.*.*`);
}
