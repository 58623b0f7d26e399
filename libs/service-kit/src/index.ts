// Start-up
export { bootstrapService, type BootstrapOptions } from './bootstrap/bootstrap-service';
export { createServiceApp, type ServiceAppOptions, type ServiceModule } from './bootstrap/create-service-app';

// The module and what it provides
export { FleetServiceModule } from './module/fleet-service.module';
export type { FleetServiceOptions } from './module/fleet-service.options';
export { EVENT_STORE, FLEET_CONFIG, HEADQUARTERS, NATS_CONNECTION } from './module/tokens';
export { AppendedEvents } from './module/appended-events';
export { MessagingLifecycle } from './module/messaging.lifecycle';
export { FleetMetrics } from './metrics/fleet-metrics';
export { serviceKitMigrations } from './idempotency/idempotency-keys.migration';

// Business time
export {
  BusinessClock,
  ClockWouldGoBackError,
  type ClockJumpListener,
  type ClockMode,
} from './clock/business-clock';
export { businessClock, businessNow } from './clock/business-now';

// Configuration
export {
  FLEET_SETTINGS,
  LOG_LEVELS,
  loadFleetConfig,
  loadToolSettings,
  type FleetConfig,
  type FleetConfigOptions,
  type FleetEnv,
  type FleetSetting,
  type LoadedFleetConfig,
  type LogLevel,
  type ToolSettings,
} from './config/fleet-config';
export { ConfigError } from './config/config.error';

// Auth
export { ROLES, isRole, type Role } from './auth/role';
export { Public, Roles } from './auth/roles.decorator';
export { ANONYMOUS_ACTOR, principalOf, type Principal } from './auth/principal';
export { keyIdOf } from './auth/api-key';

// HTTP helpers
export { RequestContext, requestContextOf } from './http/request-context';
export { eventMetadata } from './http/event-metadata';
export { IfMatch, formatETag, parseIfMatch, setETag } from './http/etag';
export { Route, type DocumentedError, type RouteMethod, type RouteOptions } from './http/route.decorator';
export { replyWithVersion, type VersionedAnswer } from './http/versioned-reply';
export { CommandRequest } from './http/command-request';
export { ZodBody, ZodParam, ZodQuery, ZodValidationPipe } from './http/zod-validation.pipe';
export { decodeCursor, encodeCursor, type Page } from './http/cursor';
export { MAX_POSITION, PositionString } from './http/position';
export { CORRELATION_ID_HEADER } from './http/correlation-id';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from './idempotency/idempotency.interceptor';
export { toOpenApiSchema } from './openapi/openapi-schema';
export { csvRecordsOf, readCsvRecords, type CsvRecord } from './http/csv-records';
export { csvLine } from './http/csv-line';

// Errors
export {
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  type ProblemDocument,
  type ProblemInit,
  type ProblemIssue,
} from './errors/problem';
export { toProblem, validationProblem, type MappedProblem } from './errors/problem-mapping';
