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

export const KEYS = testApiKeys('reporting');

export type ReportingApp = ServiceTestApp;

export interface StartOptions {
  /** A PostgreSQL database another instance also runs on; the caller disposes of it. */
  readonly sharedDatabase?: TestDatabase;
  /** The NATS namespace of another instance; the caller deletes it. */
  readonly sharedNames?: MessagingNames;
}

/** The reporting service as `main.ts` builds it (see `startServiceTestApp`); `call` sends reports' key. */
export function startReporting(driver: TestDriver, options: StartOptions = {}): Promise<ReportingApp> {
  return startServiceTestApp({
    service: 'reporting',
    module: AppModule,
    driver,
    defaultRole: 'reports',
    namespacePrefix: 'rpt',
    config: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent' },
    ...options,
  });
}
