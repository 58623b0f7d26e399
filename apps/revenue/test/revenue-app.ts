import type { EventEnvelope } from '@fleet/contracts';
import type { TestDriver } from '@fleet/event-sourcing/testing';
import { startServiceTestApp, testApiKeys, type ServiceTestApp } from '@fleet/service-kit/testing';
import { AppModule } from '../src/app.module';

export {
  PROBLEM_JSON,
  TEST_NATS_URL as NATS_URL,
  waitFor,
  type TestCallOptions as CallOptions,
  type TestRole,
} from '@fleet/service-kit/testing';

export const KEYS = testApiKeys('revenue');

export interface RevenueApp extends ServiceTestApp {
  /**
   * Publishes an envelope to the (namespaced) power stream as power's relay would. `msgId` other
   * than the event id gets past JetStream's de-duplication: a redelivery only the inbox can catch.
   */
  publishPowerEvent(envelope: EventEnvelope, msgId?: string): Promise<void>;
  /** Publishes an envelope to the (namespaced) inventory stream as inventory's relay would. */
  publishInventoryEvent(envelope: EventEnvelope): Promise<void>;
}

/** The revenue service as `main.ts` builds it (see `startServiceTestApp`); `call` sends finance's key. */
export async function startRevenue(driver: TestDriver): Promise<RevenueApp> {
  const service = await startServiceTestApp({
    service: 'revenue',
    module: AppModule,
    driver,
    defaultRole: 'finance',
    namespacePrefix: 'rev',
  });
  return {
    ...service,
    publishPowerEvent: (envelope, msgId) => service.publish('power', envelope, msgId),
    publishInventoryEvent: (envelope) => service.publish('inventory', envelope),
  };
}
