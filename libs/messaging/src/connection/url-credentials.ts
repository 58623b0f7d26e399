import { NatsSecret } from './nats-secret';
import type { NatsAuth } from './nats-security';

export interface ServersWithoutCredentials {
  /** The URLs with their credentials taken out, as the client is given them. */
  readonly servers: string[];
  /** The credentials the URLs carried, if any. */
  readonly auth?: NatsAuth;
}

/**
 * Takes the credentials out of `nats://user:pass@host` (or `nats://token@host`) URLs: the nats.js 3
 * client ignores them, and they would be printed with the URL. Every URL that carries credentials
 * must carry the same ones (one identity per connection).
 */
export function takeCredentialsFromUrls(urls: readonly string[]): ServersWithoutCredentials {
  const found = new Set<string>();
  let auth: NatsAuth | undefined;
  const servers = urls.map((text) => {
    if (!URL.canParse(text)) return text;
    const url = new URL(text);
    if (url.username === '' && url.password === '') return text;
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    found.add(`${user}\n${password}`);
    auth =
      password === ''
        ? { kind: 'token', setting: 'NATS_URL', token: new NatsSecret(user) }
        : { kind: 'user', setting: 'NATS_URL', user, password: new NatsSecret(password) };
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  });
  if (found.size > 1)
    throw new Error('the NATS_URL servers carry different credentials: give every server the same ones');
  return auth ? { servers, auth } : { servers };
}
