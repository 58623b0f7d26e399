/** Injection tokens of what `FleetServiceModule` provides besides `DataSource` (injected by class). */
export const FLEET_CONFIG = Symbol('FLEET_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
/** The options given to `FleetServiceModule.forRoot`. */
export const FLEET_SERVICE_OPTIONS = Symbol('FLEET_SERVICE_OPTIONS');
/** Where logs go: stdout unless a test captures them. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
/** The OpenTelemetry SDK `bootstrapService` started, or undefined (tracing off, or a test's app). */
export const TRACING = Symbol('TRACING');
/**
 * The `HeadquartersStreams` a service reads instead of the facility's streams (reporting at HQ), or
 * null: see `FleetServiceOptions.headquarters`.
 */
export const HEADQUARTERS = Symbol('HEADQUARTERS');
