import { freePort } from './free-port';
import { RunEnvironment, type Driver } from './run-environment';
import { ServiceProcess } from './service-process';

export { deleteNamespaceStreams, withAdminClient, type Driver } from './run-environment';

export const API_KEYS = {
  admin: 'e2e-admin-key-0123456789',
  procurement: 'e2e-procurement-key-0123456789',
  operations: 'e2e-operations-key-0123456789',
  reports: 'e2e-reports-key-0123456789',
} as const;

export interface HttpResult<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * Procurement, inventory and power as separate processes on one unique NATS namespace, a fresh data
 * directory and (for PostgreSQL) a fresh database: the whole saga, isolated from every other test.
 */
export class Fleet {
  /** Services started after the first three (`startService`), stopped with them. */
  private readonly others: ServiceProcess[] = [];

  private constructor(
    readonly driver: Driver,
    private readonly environment: RunEnvironment,
    readonly procurement: ServiceProcess,
    readonly inventory: ServiceProcess,
    readonly power: ServiceProcess,
  ) {}

  get namespace(): string {
    return this.environment.namespace;
  }

  get dataDir(): string {
    return this.environment.dataDir;
  }

  get databaseName(): string | undefined {
    return this.environment.databaseName;
  }

  /** `settings` go to both services on top of the run's own (e.g. `OTEL_*`). */
  static async start(driver: Driver, settings: Record<string, string> = {}): Promise<Fleet> {
    const environment = await RunEnvironment.create(driver, API_KEYS, 'fleet-e2e', {
      // A message in flight when a service is killed comes back after this; the default 30 s
      // would only slow the crash tests down.
      NATS_ACK_WAIT_MS: '10000',
      ...settings,
    });
    const { env } = environment;
    const procurement = new ServiceProcess({ name: 'procurement', port: await freePort(), env });
    const inventory = new ServiceProcess({ name: 'inventory', port: await freePort(), env });
    const power = new ServiceProcess({ name: 'power', port: await freePort(), env });
    const fleet = new Fleet(driver, environment, procurement, inventory, power);
    try {
      await procurement.start();
      await inventory.start();
      await power.start();
    } catch (error) {
      await fleet.dispose();
      throw error;
    }
    return fleet;
  }

  /** Starts one more service on this fleet's namespace, data directory and database. */
  async startService(
    name: 'revenue' | 'reporting',
    settings: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const service = new ServiceProcess({
      name,
      port: await freePort(),
      env: { ...this.environment.env, ...settings },
    });
    this.others.push(service);
    await service.start();
    return service;
  }

  async dispose(): Promise<void> {
    await Promise.all(
      [this.procurement, this.inventory, this.power, ...this.others].map((service) => service.stop()),
    );
    await this.environment.dispose();
  }
}

export async function call<T = unknown>(
  service: ServiceProcess,
  method: string,
  url: string,
  body?: unknown,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? API_KEYS.admin}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${service.baseUrl}${url}`, {
    method,
    headers: { ...headers, ...options.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}

/** Polls until `probe` returns a value, or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
