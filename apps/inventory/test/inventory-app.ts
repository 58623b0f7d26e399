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

export const KEYS = testApiKeys('inventory');

export interface InventoryApp extends ServiceTestApp {
  /** Publishes an envelope to the (namespaced) procurement stream as procurement's relay would. */
  publishProcurementEvent(envelope: EventEnvelope): Promise<void>;
}

/** The inventory service as `main.ts` builds it (see `startServiceTestApp`); `call` sends operations' key. */
export async function startInventory(driver: TestDriver): Promise<InventoryApp> {
  const service = await startServiceTestApp({
    service: 'inventory',
    module: AppModule,
    driver,
    defaultRole: 'operations',
    namespacePrefix: 'inv',
  });
  return { ...service, publishProcurementEvent: (envelope) => service.publish('procurement', envelope) };
}
