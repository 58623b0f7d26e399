import type { EventEnvelope } from '@fleet/contracts';
import type { TestDatabase, TestDriver } from '@fleet/event-sourcing/testing';
import type { MessagingNames } from '@fleet/messaging';
import { startServiceTestApp, testApiKeys, type ServiceTestApp } from '@fleet/service-kit/testing';
import { AppModule } from '../src/app.module';

export {
  PROBLEM_JSON,
  TEST_NATS_URL as NATS_URL,
  waitFor,
  type TestCallOptions as CallOptions,
  type TestRole,
} from '@fleet/service-kit/testing';

export const KEYS = testApiKeys('power');

export interface PowerApp extends ServiceTestApp {
  /** Publishes an envelope to the (namespaced) inventory stream as inventory's relay would. */
  publishInventoryEvent(envelope: EventEnvelope): Promise<void>;
}

export interface StartOptions {
  /** A PostgreSQL database another instance also runs on; the caller disposes of it. */
  readonly sharedDatabase?: TestDatabase;
  /** The NATS namespace of another instance; the caller deletes it. */
  readonly sharedNames?: MessagingNames;
}

/** The power service as `main.ts` builds it (see `startServiceTestApp`); `call` sends operations' key. */
export async function startPower(driver: TestDriver, options: StartOptions = {}): Promise<PowerApp> {
  const service = await startServiceTestApp({
    service: 'power',
    module: AppModule,
    driver,
    defaultRole: 'operations',
    namespacePrefix: 'pwr',
    ...options,
  });
  return { ...service, publishInventoryEvent: (envelope) => service.publish('inventory', envelope) };
}
