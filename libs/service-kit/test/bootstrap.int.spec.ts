import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { MessagingNames, deleteMessagingNamespace } from '@fleet/messaging';
import { bootstrapService } from '../src';
import { SERVICE, WidgetsModule } from './widgets.module';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** `process.exit` stands in as a throw, so the test sees the exit instead of dying of it. */
class Exited extends Error {
  constructor(readonly code: number | string | null | undefined) {
    super(`process.exit(${String(code)})`);
  }
}

describe('bootstrapService (main.ts)', () => {
  const savedEnv = { ...process.env };
  let dataDir: string;
  let stderr: string;
  let stdout: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'fleet-kit-boot-'));
    stderr = '';
    stdout = '';
    jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Exited(code);
    });
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    for (const setting of ['FLEET_API_KEYS', 'DATABASE_URL', 'PORT', 'NATS_URL', 'FLEET_NATS_NAMESPACE'])
      delete process.env[setting];
    Object.assign(process.env, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'development' });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...savedEnv };
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits with one line when NATS is not reachable, saying how to start it', async () => {
    process.env['NATS_URL'] = 'nats://127.0.0.1:1';
    await expect(
      bootstrapService({ service: SERVICE, module: WidgetsModule, defaultPort: 0 }),
    ).rejects.toEqual(new Exited(1));
    expect(stderr).toMatch(
      /^widgets: NATS is not reachable at nats:\/\/127\.0\.0\.1:1 .*`nats-server -js`.*\n$/,
    );
    expect(stderr.trimEnd()).not.toContain('\n');
  });

  it('exits naming a wrong setting', async () => {
    process.env['PORT'] = 'eighty';
    await expect(
      bootstrapService({ service: SERVICE, module: WidgetsModule, defaultPort: 0 }),
    ).rejects.toEqual(new Exited(1));
    expect(stderr).toContain('PORT: must be a whole number (got "eighty")');
  });

  it('generates, prints and uses local keys, and listens', async () => {
    const names = MessagingNames.isolated('kitboot');
    Object.assign(process.env, { NATS_URL, FLEET_NATS_NAMESPACE: names.namespace, HOST: '127.0.0.1' });
    const app = await bootstrapService({ service: SERVICE, module: WidgetsModule, defaultPort: 0 });
    try {
      expect(stdout).toContain(`local development keys generated in ${join(dataDir, 'api-keys.json')}`);
      const adminKey = /^ {2}admin +(\S+)$/m.exec(stdout)?.[1];
      expect(adminKey).toMatch(/^fleet_admin_/);

      const url = await app.getUrl();
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${url}/admin-only`)).status).toBe(401);
      expect(
        (await fetch(`${url}/admin-only`, { headers: { authorization: `Bearer ${adminKey}` } })).status,
      ).toBe(200);
    } finally {
      await app.close();
      const nats = await connect({ servers: NATS_URL });
      await deleteMessagingNamespace(await jetstreamManager(nats), names).finally(() => nats.close());
    }
  });
});
