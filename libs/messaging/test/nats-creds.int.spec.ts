import { createHash } from 'node:crypto';
import { nkeys } from '@nats-io/transport-node';
import { connectNats, NatsUnavailableError } from '../src/connection/connect-nats';
import { NatsSecret } from '../src/connection/nats-secret';
import { PrivateNatsServer } from '../src/testing';

type KeyPair = ReturnType<typeof nkeys.createAccount>;

/** A NATS JWT (`nsc` writes the same): claims signed with the issuer's nkey. */
function natsJwt(issuer: KeyPair, subject: KeyPair, name: string, nats: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    iat: Math.floor(Date.now() / 1000),
    iss: issuer.getPublicKey(),
    sub: subject.getPublicKey(),
    name,
    nats: { version: 2, ...nats },
  };
  const jti = createHash('sha256').update(JSON.stringify(claims)).digest('base64url');
  const signed = `${encode({ typ: 'JWT', alg: 'ed25519-nkey' })}.${encode({ jti, ...claims })}`;
  const signature = Buffer.from(issuer.sign(new TextEncoder().encode(signed))).toString('base64url');
  return `${signed}.${signature}`;
}

/** A .creds file as `nsc generate creds` writes it: the user's JWT and its nkey seed. */
function credsFile(userJwt: string, user: KeyPair): string {
  const seed = new TextDecoder().decode(user.getSeed());
  return `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`;
}

const UNLIMITED = {
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
};

/** Decentralised auth (an operator, an account with JetStream, a user), on a nats-server of its own. */
describe('NATS .creds files (private nats-server in operator mode)', () => {
  const operator = nkeys.createOperator();
  const system = nkeys.createAccount();
  const account = nkeys.createAccount();
  const user = nkeys.createUser();
  let server: PrivateNatsServer;

  beforeAll(async () => {
    const accountJwt = natsJwt(operator, account, 'fleet', {
      type: 'account',
      limits: { ...UNLIMITED, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 },
    });
    server = await PrivateNatsServer.start({
      configFiles: {
        'nats.conf': [
          `operator: ${natsJwt(operator, operator, 'test-operator', { type: 'operator' })}`,
          `system_account: ${system.getPublicKey()}`,
          'resolver: MEMORY',
          'resolver_preload: {',
          `  ${account.getPublicKey()}: ${accountJwt}`,
          `  ${system.getPublicKey()}: ${natsJwt(operator, system, 'SYS', { type: 'account' })}`,
          '}',
          '',
        ].join('\n'),
      },
    });
  });

  afterAll(async () => {
    await server?.dispose();
  });

  const connectWith = (creds: string) =>
    connectNats({
      servers: server.url,
      name: 'creds-test',
      security: { auth: { kind: 'creds', setting: 'NATS_CREDS_FILE', creds: new NatsSecret(creds) } },
    });

  it('connects as the user of its account, with JetStream', async () => {
    const userJwt = natsJwt(account, user, 'inventory', {
      type: 'user',
      pub: {},
      sub: {},
      subs: -1,
      data: -1,
      payload: -1,
    });
    const connection = await connectWith(credsFile(userJwt, user));
    try {
      expect(connection.info?.jetstream).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('refuses a user of an unknown account with a line naming NATS_CREDS_FILE, never its seed', async () => {
    const stranger = nkeys.createAccount();
    const intruder = nkeys.createUser();
    const creds = credsFile(natsJwt(stranger, intruder, 'intruder', { type: 'user' }), intruder);
    const refusal = (await connectWith(creds).catch((error: unknown) => error)) as Error;
    expect(refusal).toBeInstanceOf(NatsUnavailableError);
    expect(refusal.message).toMatch(
      new RegExp(
        `^NATS at ${server.url.replace(/\./g, '\\.')} refused the credentials of NATS_CREDS_FILE \\(.+\\): check NATS_CREDS_FILE$`,
      ),
    );
    expect(refusal.message).not.toContain(new TextDecoder().decode(intruder.getSeed()));
  });
});
