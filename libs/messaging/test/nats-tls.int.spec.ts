import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats, NatsUnavailableError } from '../src/connection/connect-nats';
import { NatsSecret } from '../src/connection/nats-secret';
import type { NatsTls } from '../src/connection/nats-security';
import { PrivateNatsServer } from '../src/testing';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made by openssl for the test. */
function makeCertificates(directory: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
  const key = (name: string) =>
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', name);
  key('ca-key.pem');
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=fleet-test-ca',
  );
  for (const [name, extensions] of [
    // nats.js checks the certificate of a server reached at 127.0.0.1 against the name localhost.
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'],
    ['client', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    key(`${name}-key.pem`);
    openssl(
      'req',
      '-new',
      '-key',
      `${name}-key.pem`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=fleet-test-${name}`,
    );
    writeFileSync(join(directory, `${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  }
}

describe('NATS over TLS with a client certificate (private nats-server, certificates from openssl)', () => {
  let certificates: string;
  let server: PrivateNatsServer;
  const pem = (name: string) => readFileSync(join(certificates, name), 'utf8');

  beforeAll(async () => {
    certificates = mkdtempSync(join(tmpdir(), 'fleet-nats-tls-'));
    makeCertificates(certificates);
    const file = (name: string) => JSON.stringify(join(certificates, name));
    server = await PrivateNatsServer.start({
      configFiles: {
        'nats.conf': `tls {\n  cert_file: ${file('server.pem')}\n  key_file: ${file('server-key.pem')}\n  ca_file: ${file('ca.pem')}\n  verify: true\n}\n`,
      },
      tls: true,
    });
  });

  afterAll(async () => {
    await server?.dispose();
    if (certificates) rmSync(certificates, { recursive: true, force: true });
  });

  const connect = (tls: NatsTls) => connectNats({ servers: server.url, name: 'tls-test', security: { tls } });

  it('connects with the CA that signed the server and a client certificate the server verifies', async () => {
    const connection = await connect({
      ca: pem('ca.pem'),
      cert: pem('client.pem'),
      key: new NatsSecret(pem('client-key.pem')),
    });
    try {
      expect(connection.info?.tls_required).toBe(true);
      expect(connection.info?.jetstream).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('fails with a line naming the TLS settings without a client certificate, or without the CA', async () => {
    for (const tls of [
      { ca: pem('ca.pem') },
      { cert: pem('client.pem'), key: new NatsSecret(pem('client-key.pem')) },
    ]) {
      const refusal = (await connect(tls).catch((error: unknown) => error)) as Error;
      expect(refusal).toBeInstanceOf(NatsUnavailableError);
      expect(refusal.message).toMatch(
        new RegExp(
          `^NATS is not reachable at tls://127\\.0\\.0\\.1:${server.port} \\(.+\\) over TLS \\(NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE\\)`,
        ),
      );
      expect(refusal.message).not.toContain('PRIVATE KEY');
    }
  });
});
