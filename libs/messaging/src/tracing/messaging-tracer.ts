import { trace } from '@opentelemetry/api';

/**
 * The messaging library's tracer: the API's no-op one until a service registers an SDK. Span and
 * attribute names follow OpenTelemetry's messaging conventions (`messaging.*`, system `nats`).
 */
export const messagingTracer = trace.getTracer('@fleet/messaging');
