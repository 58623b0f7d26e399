/**
 * Subject naming: `fleet.<context>.<facilityId>.<EventType>`. One JetStream stream per bounded
 * context. Cardinality stays low on purpose (facility and event type, never one subject per rig).
 */
export const BOUNDED_CONTEXTS = ['procurement', 'inventory', 'power', 'revenue'] as const;
export type BoundedContext = (typeof BOUNDED_CONTEXTS)[number];

export function streamNameOf(context: BoundedContext): string {
  return context.toUpperCase();
}

export function subjectOf(context: BoundedContext, facilityId: string, eventType: string): string {
  return `fleet.${context}.${facilityId}.${eventType}`;
}

/** Every subject of a context: the stream's subject filter. */
export function subjectsOf(context: BoundedContext): string {
  return `fleet.${context}.>`;
}

/** One event type across all facilities, for a consumer's filter. */
export function subjectOfTypeInAnyFacility(context: BoundedContext, eventType: string): string {
  return `fleet.${context}.*.${eventType}`;
}

export function parseSubject(
  subject: string,
): { context: string; facilityId: string; eventType: string } | undefined {
  const parts = subject.split('.');
  if (parts.length !== 4 || parts[0] !== 'fleet') return undefined;
  return { context: parts[1], facilityId: parts[2], eventType: parts[3] };
}

/** Subject-unsafe characters would split or wildcard a subject. */
export function isSubjectToken(value: string): boolean {
  return value.length > 0 && !/[\s.*>]/.test(value);
}
