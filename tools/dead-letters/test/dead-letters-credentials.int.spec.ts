import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectNats, ensureDeadLetterStream, NatsSecret } from '@fleet/messaging';
import { startNatsWithFleetUsers, type NatsServerWithFleetUsers } from '@fleet/messaging/testing';
import { runDeadLettersCommand } from '../src/dead-letters-command';

/** Against a nats-server with Fleet's users and permissions (k8s/nats/fleet-authorization.conf). */
describe('npm run dead-letters with NATS credentials (private nats-server)', () => {
  let nats: NatsServerWithFleetUsers;
  let directory: string;

  beforeAll(async () => {
    nats = await startNatsWithFleetUsers();
    directory = mkdtempSync(join(tmpdir(), 'fleet-dead-letters-credentials-'));
  });

  afterAll(async () => {
    await nats?.server.dispose();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  async function run(env: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDeadLettersCommand(
      ['list'],
      { NATS_URL: nats.server.url, NATS_INBOX_PREFIX: '_INBOX_operator', ...env },
      { out: (line) => out.push(line), err: (line) => err.push(line) },
    );
    return { code, out, err, printed: [...out, ...err].join('\n') };
  }

  it('lists as the operator, its password read from NATS_PASSWORD_FILE', async () => {
    const passwordFile = join(directory, 'operator-password');
    writeFileSync(passwordFile, `${nats.passwords.operator}\n`);
    // The services create the dead-letter stream; the operator may only read and replay.
    const service = await connectNats({
      servers: nats.server.url,
      name: 'dead-letters-test-procurement',
      security: {
        auth: {
          kind: 'user',
          setting: 'NATS_USER/NATS_PASSWORD',
          user: 'procurement',
          password: new NatsSecret(nats.passwords.procurement),
        },
        inboxPrefix: '_INBOX_procurement',
      },
    });
    try {
      await ensureDeadLetterStream(await jetstreamManager(service));
    } finally {
      await service.close();
    }
    const listed = await run({ NATS_USER: 'operator', NATS_PASSWORD_FILE: passwordFile });
    expect(listed.err).toEqual([]);
    expect(listed.out).toEqual(['0 dead letters']);
    expect(listed.code).toBe(0);
  });

  it('prints a refused password or token with the server and the setting, never the secret', async () => {
    const password = `wrong-password-${Date.now()}`;
    const byPassword = await run({ NATS_USER: 'operator', NATS_PASSWORD: password });
    expect(byPassword.code).toBe(1);
    expect(byPassword.err).toEqual([
      `dead-letters: NATS at ${nats.server.url} refused the credentials of NATS_USER/NATS_PASSWORD (Authorization Violation): check NATS_USER/NATS_PASSWORD`,
    ]);
    expect(byPassword.printed).not.toContain(password);

    const token = `wrong-token-${Date.now()}`;
    const byToken = await run({ NATS_TOKEN: token });
    expect(byToken.err).toEqual([
      `dead-letters: NATS at ${nats.server.url} refused the credentials of NATS_TOKEN (Authorization Violation): check NATS_TOKEN`,
    ]);
    expect(byToken.printed).not.toContain(token);

    const inUrl = await run({ NATS_URL: `nats://operator:${password}@127.0.0.1:${nats.server.port}` });
    expect(inUrl.err).toEqual([
      `dead-letters: NATS at nats://***@127.0.0.1:${nats.server.port} refused the credentials of NATS_URL (Authorization Violation): check NATS_URL`,
    ]);
    expect(inUrl.printed).not.toContain(password);
  });

  it('stops on a password file it cannot read, naming the setting, before connecting', async () => {
    const missing = join(directory, 'missing-password');
    const refused = await run({ NATS_USER: 'operator', NATS_PASSWORD_FILE: missing });
    expect(refused.code).toBe(2);
    expect(refused.printed).toContain(`NATS_PASSWORD_FILE: cannot read the file ${missing} (ENOENT)`);
  });
});
