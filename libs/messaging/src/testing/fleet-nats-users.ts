import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrivateNatsServer } from './private-nats-server';

/** Fleet's NATS users, as `k8s/nats/fleet-authorization.conf` names them. */
export const FLEET_NATS_USERS = [
  'procurement',
  'inventory',
  'power',
  'revenue',
  'reporting',
  'operator',
] as const;
export type FleetNatsUser = (typeof FLEET_NATS_USERS)[number];

/** The file k8s/nats ships: a test of the permissions runs exactly the deployed ones. */
export const SHIPPED_NATS_AUTHORIZATION = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../k8s/nats/fleet-authorization.conf',
);

export interface NatsServerWithFleetUsers {
  readonly server: PrivateNatsServer;
  /** Each user's password, fresh for this server. */
  readonly passwords: Readonly<Record<FleetNatsUser, string>>;
}

/**
 * A private nats-server (JetStream, a free port) that includes the shipped authorization file, with
 * a random password per user in the environment variables the file refers to.
 */
export async function startNatsWithFleetUsers(): Promise<NatsServerWithFleetUsers> {
  const passwords = Object.fromEntries(
    FLEET_NATS_USERS.map((user) => [user, `test-${user}-${randomBytes(8).toString('hex')}`]),
  ) as Record<FleetNatsUser, string>;
  const server = await PrivateNatsServer.start({
    configFiles: {
      'nats.conf': 'include fleet-authorization.conf\n',
      'fleet-authorization.conf': readFileSync(SHIPPED_NATS_AUTHORIZATION, 'utf8'),
    },
    env: Object.fromEntries(
      FLEET_NATS_USERS.map((user) => [`FLEET_NATS_${user.toUpperCase()}_PASSWORD`, passwords[user]]),
    ),
  });
  return { server, passwords };
}
