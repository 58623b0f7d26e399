// Helpers for tests of the services built on the kit: hostile requests to their write routes.
export { SeededRandom } from './seeded-random';
export { acceptedRequest, urlOf, type JsonValue, type RouteRequest, type WriteRoute } from './write-route';
export { hostileRequests, type HostileRequest } from './hostile-requests';
export {
  unstorableTextRefusalFault,
  unstorableTextRequests,
  type UnstorableTextRequest,
} from './unstorable-text-requests';
export { writeRoutesNotMatching } from './openapi-write-routes';
export {
  sendHostileRequests,
  storeAnswer,
  type HostileRun,
  type Refusal,
  type StoreAnswer,
  type StoreUnderTest,
} from './send-hostile-requests';
export {
  describeHostileWrites,
  type HostileWritesStore,
  type HostileWritesSuite,
} from './describe-hostile-writes';
export {
  PROBLEM_JSON,
  startServiceTestApp,
  TEST_NATS_URL,
  TEST_ROLES,
  testApiKeys,
  waitFor,
  type ServiceTestApp,
  type ServiceTestAppOptions,
  type TestCallOptions,
  type TestRole,
} from './service-test-app';
