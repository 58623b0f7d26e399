import { randomBytes } from 'node:crypto';
import { nkeys } from '@nats-io/transport-node';
import { connectNats, NatsUnavailableError } from '../src/connection/connect-nats';
import { NatsSecret } from '../src/connection/nats-secret';
import type { NatsAuth } from '../src/connection/nats-security';
import { PrivateNatsServer } from '../src/testing';

/** A token and an nkey user, each on a nats-server of the test's own, right and wrong. */
describe('NATS tokens and nkeys (private nats-servers)', () => {
  const token = `token-${randomBytes(12).toString('hex')}`;
  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  let tokenServer: PrivateNatsServer;
  let nkeyServer: PrivateNatsServer;

  beforeAll(async () => {
    tokenServer = await PrivateNatsServer.start({
      configFiles: { 'nats.conf': 'authorization { token: $FLEET_TEST_TOKEN }\n' },
      env: { FLEET_TEST_TOKEN: token },
    });
    nkeyServer = await PrivateNatsServer.start({
      configFiles: { 'nats.conf': `authorization { users = [ { nkey: ${user.getPublicKey()} } ] }\n` },
    });
  });

  afterAll(async () => {
    await tokenServer?.dispose();
    await nkeyServer?.dispose();
  });

  async function outcome(server: PrivateNatsServer, auth: NatsAuth): Promise<string> {
    try {
      const connection = await connectNats({
        servers: server.url,
        name: 'credentials-test',
        security: { auth },
      });
      await connection.close();
      return 'connected';
    } catch (error) {
      if (!(error instanceof NatsUnavailableError)) throw error;
      return error.message;
    }
  }

  it('connects with the right token, and names NATS_TOKEN_FILE, not the token, for a wrong one', async () => {
    expect(
      await outcome(tokenServer, { kind: 'token', setting: 'NATS_TOKEN', token: new NatsSecret(token) }),
    ).toBe('connected');
    const wrong = `${token}-wrong`;
    const refusal = await outcome(tokenServer, {
      kind: 'token',
      setting: 'NATS_TOKEN_FILE',
      token: new NatsSecret(wrong),
    });
    expect(refusal).toBe(
      `NATS at ${tokenServer.url} refused the credentials of NATS_TOKEN_FILE (Authorization Violation): check NATS_TOKEN_FILE`,
    );
    expect(refusal).not.toContain(token);
  });

  it('connects with the nkey seed of a listed user, and refuses another seed naming NATS_NKEY_SEED_FILE', async () => {
    expect(
      await outcome(nkeyServer, { kind: 'nkey', setting: 'NATS_NKEY_SEED_FILE', seed: new NatsSecret(seed) }),
    ).toBe('connected');
    const stranger = new TextDecoder().decode(nkeys.createUser().getSeed());
    const refusal = await outcome(nkeyServer, {
      kind: 'nkey',
      setting: 'NATS_NKEY_SEED_FILE',
      seed: new NatsSecret(stranger),
    });
    expect(refusal).toMatch(/refused the credentials of NATS_NKEY_SEED_FILE \(Authorization Violation\)/);
    expect(refusal).not.toContain(stranger);
  });
});
