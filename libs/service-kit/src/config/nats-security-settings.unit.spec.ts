import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from './config.error';
import { loadFleetConfig, loadToolSettings, type FleetEnv } from './fleet-config';

const KEYS = 'admin:admin-key-0123456789abcdef';
const PASSWORD = 'pa55-w0rd-never-printed';
const TOKEN = 't0ken-never-printed';
// Their shapes only: the settings check what a file holds, the server what it is worth.
const SEED = `SU${'A'.repeat(56)}`;
const CREDS = `-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.e30.c2ln\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${SEED}\n------END USER NKEY SEED------\n`;
const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PRIVATE_KEY = '-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n';

let directory: string;
const file = (name: string, content: string) => {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'fleet-nats-settings-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function load(env: FleetEnv) {
  return loadFleetConfig({ service: 'inventory', defaultPort: 3002, env: { FLEET_API_KEYS: KEYS, ...env } })
    .config;
}

function refusal(env: FleetEnv): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('NATS credential and TLS settings', () => {
  it('reads a user and a password, from the setting or from a file (without its final newline)', () => {
    const direct = load({ NATS_USER: 'inventory', NATS_PASSWORD: PASSWORD }).nats.security.auth;
    expect(direct).toMatchObject({ kind: 'user', user: 'inventory', setting: 'NATS_USER/NATS_PASSWORD' });
    expect(direct?.kind === 'user' && direct.password.reveal()).toBe(PASSWORD);

    const fromFile = load({ NATS_USER: 'inventory', NATS_PASSWORD_FILE: file('password', `${PASSWORD}\n`) })
      .nats.security.auth;
    expect(fromFile).toMatchObject({ kind: 'user', setting: 'NATS_USER/NATS_PASSWORD_FILE' });
    expect(fromFile?.kind === 'user' && fromFile.password.reveal()).toBe(PASSWORD);
  });

  it('reads a token, a .creds file, an nkey seed and TLS files', () => {
    const token = load({ NATS_TOKEN_FILE: file('token', `${TOKEN}\n`) }).nats.security.auth;
    expect(token?.kind === 'token' && token.token.reveal()).toBe(TOKEN);
    const creds = load({ NATS_CREDS_FILE: file('fleet.creds', CREDS) }).nats.security.auth;
    expect(creds).toMatchObject({ kind: 'creds', setting: 'NATS_CREDS_FILE' });
    expect(creds?.kind === 'creds' && creds.creds.reveal()).toBe(CREDS);
    const seed = load({ NATS_NKEY_SEED_FILE: file('seed', `${SEED}\n`) }).nats.security.auth;
    expect(seed?.kind === 'nkey' && seed.seed.reveal()).toBe(SEED);

    const tls = load({
      NATS_TLS_CA_FILE: file('ca.pem', CERTIFICATE),
      NATS_TLS_CERT_FILE: file('cert.pem', CERTIFICATE),
      NATS_TLS_KEY_FILE: file('key.pem', PRIVATE_KEY),
    }).nats.security.tls;
    expect(tls).toMatchObject({ ca: CERTIFICATE, cert: CERTIFICATE });
    expect(tls?.key?.reveal()).toBe(PRIVATE_KEY);
  });

  it('refuses a file that is not what its setting reads, naming the setting, not the content', () => {
    const error = refusal({
      NATS_CREDS_FILE: file('not.creds', `just ${TOKEN}`),
      NATS_TLS_CA_FILE: file('ca.txt', PRIVATE_KEY),
      NATS_TLS_CERT_FILE: file('cert.txt', CERTIFICATE),
      NATS_TLS_KEY_FILE: file('key.txt', CERTIFICATE),
    });
    expect(error.settings).toEqual(['NATS_CREDS_FILE', 'NATS_TLS_CA_FILE', 'NATS_TLS_KEY_FILE']);
    expect(error.message).toContain('is not a .creds file (a user JWT and its nkey seed');
    expect(error.message).not.toContain(TOKEN);
    expect(refusal({ NATS_NKEY_SEED_FILE: file('bad-seed', 'SUNOTASEED') }).message).toContain(
      'is not an nkey user seed (one line, SU…)',
    );
  });

  it('never shows a credential when the settings are printed', () => {
    const config = load({ NATS_USER: 'inventory', NATS_PASSWORD: PASSWORD });
    expect(JSON.stringify(config)).not.toContain(PASSWORD);
    expect(inspect(config, { depth: 10 })).not.toContain(PASSWORD);
    const tool = loadToolSettings('dead-letters', { NATS_TOKEN: TOKEN });
    expect(JSON.stringify(tool)).not.toContain(TOKEN);
    expect(inspect(tool, { depth: 10 })).not.toContain(TOKEN);
  });

  it('stops start-up on a file it cannot read, naming the setting and the path, not the content', () => {
    const missing = join(directory, 'no-such-file');
    const error = refusal({ NATS_USER: 'inventory', NATS_PASSWORD_FILE: missing, NATS_TLS_CA_FILE: missing });
    expect(error.settings).toEqual(['NATS_PASSWORD_FILE', 'NATS_TLS_CA_FILE']);
    expect(error.message).toContain(`NATS_PASSWORD_FILE: cannot read the file ${missing} (ENOENT)`);
    expect(refusal({ NATS_TOKEN_FILE: file('empty', '\n') }).message).toContain('NATS_TOKEN_FILE: the file');
  });

  it('refuses contradictory settings, without echoing a secret value', () => {
    const twoWays = refusal({ NATS_TOKEN: TOKEN, NATS_USER: 'inventory', NATS_PASSWORD: PASSWORD });
    expect(twoWays.settings).toEqual(['NATS_USER']);
    expect(twoWays.message).toContain(
      'one way to authenticate at a time: NATS_TOKEN and NATS_USER+NATS_PASSWORD',
    );
    expect(refusal({ NATS_USER: 'inventory' }).settings).toEqual(['NATS_PASSWORD']);
    expect(refusal({ NATS_PASSWORD: PASSWORD }).settings).toEqual(['NATS_USER']);
    expect(refusal({ NATS_TLS_CERT_FILE: file('c.pem', CERTIFICATE) }).settings).toEqual([
      'NATS_TLS_KEY_FILE',
    ]);
    const urlAndUser = refusal({
      NATS_URL: `nats://inventory:${PASSWORD}@nats:4222`,
      NATS_TOKEN: TOKEN,
    });
    expect(urlAndUser.settings).toEqual(['NATS_URL']);
    for (const error of [twoWays, urlAndUser]) {
      expect(error.message).not.toContain(PASSWORD);
      expect(error.message).not.toContain(TOKEN);
    }
  });

  it('shows a wrong NATS_URL with its credentials redacted', () => {
    const error = refusal({ NATS_URL: `nats://inventory:${PASSWORD}@nats:4222,http://x:${PASSWORD}@y` });
    expect(error.message).toContain('(got "nats://***@nats:4222, http://***@y")');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('reads the inbox prefix, which must be subject tokens without wildcards', () => {
    expect(load({ NATS_INBOX_PREFIX: '_INBOX_inventory' }).nats.security).toEqual({
      inboxPrefix: '_INBOX_inventory',
    });
    for (const wrong of ['_INBOX.>', 'a b', '_INBOX.*', 'x.'])
      expect(refusal({ NATS_INBOX_PREFIX: wrong }).settings).toEqual(['NATS_INBOX_PREFIX']);
  });

  it('keeps credentials inside NATS_URL as they were (the connection takes them out)', () => {
    expect(load({ NATS_URL: `nats://inventory:${PASSWORD}@nats:4222` }).nats).toMatchObject({
      servers: [`nats://inventory:${PASSWORD}@nats:4222`],
      security: {},
    });
  });
});
