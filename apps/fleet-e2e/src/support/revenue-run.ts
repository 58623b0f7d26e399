import { randomUUID } from 'node:crypto';
import { EnergyCostAccrued, FleetHeaders, subjectOf, type EventEnvelope } from '@fleet/contracts';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { freePort } from './free-port';
import { natsUrl, RunEnvironment, type Driver } from './run-environment';
import { ServiceProcess } from './service-process';

export const REVENUE_KEYS = {
  admin: 'e2e-admin-key-0123456789',
  finance: 'e2e-finance-key-0123456789',
  reports: 'e2e-reports-key-0123456789',
} as const;

export type EnergyDay = Omit<EnergyCostAccrued['data'], 'facilityId'>;

/**
 * Revenue as a process of its own on a unique NATS namespace, data directory and (PostgreSQL)
 * database, with the test standing in for power: it publishes `EnergyCostAccrued` to the
 * namespace's POWER stream as power's relay would.
 */
export class RevenueRun {
  private constructor(
    private readonly environment: RunEnvironment,
    readonly revenue: ServiceProcess,
    private readonly nats: NatsConnection,
  ) {}

  get namespace(): string {
    return this.environment.namespace;
  }

  static async start(driver: Driver): Promise<RevenueRun> {
    const environment = await RunEnvironment.create(driver, REVENUE_KEYS, 'fleet-e2e-revenue');
    const nats = await connect({ servers: natsUrl, timeout: 3000 });
    const revenue = new ServiceProcess({ name: 'revenue', port: await freePort(), env: environment.env });
    const run = new RevenueRun(environment, revenue, nats);
    try {
      await revenue.start();
    } catch (error) {
      await run.dispose();
      throw error;
    }
    return run;
  }

  /** One facility day's energy cost, as power publishes it. */
  async publishEnergyCost(facilityId: string, day: EnergyDay): Promise<void> {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      type: EnergyCostAccrued.type,
      schemaVersion: EnergyCostAccrued.version,
      streamId: `facility-power-${facilityId}`,
      streamVersion: day.revision,
      position: '1',
      occurredAt: new Date().toISOString(),
      facilityId,
      actor: 'service:power',
      correlationId: randomUUID(),
      causationId: null,
      data: EnergyCostAccrued.schema.parse({ facilityId, ...day }),
    };
    const messageHeaders = headers();
    messageHeaders.set(FleetHeaders.eventType, envelope.type);
    messageHeaders.set(FleetHeaders.schemaVersion, String(envelope.schemaVersion));
    messageHeaders.set(FleetHeaders.correlationId, envelope.correlationId);
    await jetstream(this.nats).publish(
      `${this.namespace}.${subjectOf('power', facilityId, envelope.type)}`,
      JSON.stringify(envelope),
      { msgID: envelope.eventId, headers: messageHeaders },
    );
  }

  async dispose(): Promise<void> {
    await this.revenue.stop();
    await this.nats.close();
    await this.environment.dispose();
  }
}
