import { inspect } from 'node:util';
import { NatsSecret } from './nats-secret';
import { redactNatsUrl, redactNatsUrls, scrubSecrets } from './redact-nats-url';
import { takeCredentialsFromUrls } from './url-credentials';

describe('printing NATS URLs and credentials', () => {
  it('redacts the credentials of a URL and leaves a URL without any as it is', () => {
    expect(redactNatsUrl('nats://fleet:s3cret@nats.svc:4222')).toBe('nats://***@nats.svc:4222');
    expect(redactNatsUrl('tls://t0ken@nats.svc:4222')).toBe('tls://***@nats.svc:4222');
    expect(redactNatsUrl('nats://us%40r:p%40ss@h:4222')).toBe('nats://***@h:4222');
    expect(redactNatsUrl('nats://nats.svc:4222')).toBe('nats://nats.svc:4222');
    expect(redactNatsUrls('nats://a:pw@h1:4222, nats://h2:4222')).toBe('nats://***@h1:4222, nats://h2:4222');
  });

  it('scrubs every secret from a text, the longest first', () => {
    expect(scrubSecrets('pw pwlong and pw', ['pw', 'pwlong', ''])).toBe('*** *** and ***');
  });

  it('never prints a secret, however it is printed', () => {
    const secret = new NatsSecret('hunter2');
    const holder = { password: secret };
    expect(`${secret}`).toBe('***');
    expect(JSON.stringify(holder)).toBe('{"password":"***"}');
    expect(inspect(holder)).not.toContain('hunter2');
    expect(secret.reveal()).toBe('hunter2');
  });
});

describe('credentials inside NATS_URL', () => {
  it('are taken out of the URLs and become a user and password, or a token', () => {
    const withUser = takeCredentialsFromUrls(['nats://fleet:p%40ss@h1:4222', 'nats://h2:4222']);
    expect(withUser.servers).toEqual(['nats://h1:4222', 'nats://h2:4222']);
    expect(withUser.auth).toMatchObject({ kind: 'user', setting: 'NATS_URL', user: 'fleet' });
    expect(withUser.auth?.kind === 'user' && withUser.auth.password.reveal()).toBe('p@ss');

    const withToken = takeCredentialsFromUrls(['nats://t0ken@h1:4222']);
    expect(withToken.auth?.kind === 'token' && withToken.auth.token.reveal()).toBe('t0ken');
    expect(takeCredentialsFromUrls(['nats://h:4222'])).toEqual({ servers: ['nats://h:4222'] });
  });

  it('must be the same on every server, and the refusal shows none of them', () => {
    expect(() => takeCredentialsFromUrls(['nats://a:one@h1:4222', 'nats://a:two@h2:4222'])).toThrow(
      /^the NATS_URL servers carry different credentials: give every server the same ones$/,
    );
  });
});
