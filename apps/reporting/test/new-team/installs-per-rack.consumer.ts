// A worked example, run by `new-team-consumer.int.spec.ts`: another team (here "analytics") counts
// the rigs installed per rack from inventory's events with a durable consumer of its own. Copy it
// into your service; the README of apps/reporting walks through it.
import type { NatsConnection } from '@nats-io/transport-node';
import { RigInstalled, subjectOfTypeInAnyFacility } from '@fleet/contracts';
import { dialectOf, SqlParameters, type EventStore } from '@fleet/event-sourcing';
import { JetStreamEventConsumer, type MessagingNames } from '@fleet/messaging';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** 1. Your table, created by a migration of your own next to `messagingMigrations` (the inbox). */
export class CreateInstallsPerRack1800000000000 implements MigrationInterface {
  readonly name = 'CreateInstallsPerRack1800000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'installs_per_rack',
        columns: [
          { name: 'facility_id', type: 'varchar', length: '63', isPrimary: true },
          { name: 'rack', type: 'varchar', length: '32', isPrimary: true },
          { name: 'installs', type: 'integer' },
        ],
      }),
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('installs_per_rack');
  }
}

/**
 * 2. A durable consumer named after your team and the event (`analytics-RigInstalled`): JetStream
 * remembers where it is, and its handler's writes commit with its inbox row, so an event JetStream
 * delivers twice is counted once. Ask for its NATS permissions like reporting's
 * (k8s/nats/fleet-authorization.conf).
 */
export function installsPerRackConsumer(options: {
  readonly connection: NatsConnection;
  readonly store: EventStore;
  readonly names: MessagingNames;
}): JetStreamEventConsumer {
  return new JetStreamEventConsumer({
    ...options,
    name: 'analytics-RigInstalled',
    filterSubject: subjectOfTypeInAnyFacility('inventory', RigInstalled.type),
    handler: async (envelope, context) => {
      // 3. Check the data against the contract: a zod error dead-letters the message.
      const { facilityId, rack } = RigInstalled.schema.parse(envelope.data);
      const manager = context.session.manager;
      const params = new SqlParameters(dialectOf(manager.connection));
      await manager.query(
        `INSERT INTO installs_per_rack (facility_id, rack, installs) VALUES (${params.add(facilityId)}, ${params.add(rack)}, 1) ` +
          `ON CONFLICT (facility_id, rack) DO UPDATE SET installs = installs_per_rack.installs + 1`,
        params.values,
      );
    },
  });
}
