import { createHash } from 'node:crypto';
import { ROLES, isRole, type Role } from './role';

/**
 * A configured API key, without the key itself: requests are matched by the key's SHA-256 digest,
 * and events and logs name the caller by `keyId`, a short stable id that does not reveal the key.
 */
export interface ApiKey {
  readonly role: Role;
  readonly keyId: string;
  readonly digest: string;
}

/** RFC 6750's b64token: what a bearer token may contain. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
export const MIN_API_KEY_LENGTH = 16;
const MAX_API_KEY_LENGTH = 256;

export function digestOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Derived from a different hash input than the digest, so that logging it leaks nothing about the lookup. */
export function keyIdOf(key: string): string {
  return createHash('sha256').update(`fleet-key-id:${key}`, 'utf8').digest('hex').slice(0, 10);
}

export function apiKeyOf(role: Role, key: string): ApiKey {
  return { role, keyId: keyIdOf(key), digest: digestOf(key) };
}

/** Why `key` cannot be an API key, or undefined when it can. */
export function apiKeyFlaw(key: string): string | undefined {
  if (key.length < MIN_API_KEY_LENGTH) return `is shorter than ${MIN_API_KEY_LENGTH} characters`;
  if (key.length > MAX_API_KEY_LENGTH) return `is longer than ${MAX_API_KEY_LENGTH} characters`;
  if (!BEARER_TOKEN.test(key)) return 'may hold only letters, digits and - . _ ~ + / (and trailing =)';
  return undefined;
}

export type ParsedApiKeys =
  { readonly ok: true; readonly keys: readonly ApiKey[] } | { readonly ok: false; readonly message: string };

/**
 * Parses `FLEET_API_KEYS`: comma-separated `role:key` pairs. A role may have several keys (for
 * rotation). Messages name entries by position, never by their key.
 */
export function parseApiKeys(text: string): ParsedApiKeys {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return { ok: false, message: 'holds no role:key pair' };
  const problems: string[] = [];
  const keys: ApiKey[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const name = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      problems.push(`${name} is not of the form role:key`);
      return;
    }
    const role = entry.slice(0, colon).trim();
    const key = entry.slice(colon + 1).trim();
    if (!isRole(role)) {
      problems.push(`${name} has the unknown role "${role}" (roles: ${ROLES.join(', ')})`);
      return;
    }
    const flaw = apiKeyFlaw(key);
    if (flaw) {
      problems.push(`the key of ${name} (${role}) ${flaw}`);
      return;
    }
    const apiKey = apiKeyOf(role, key);
    if (seen.has(apiKey.digest)) {
      problems.push(`the key of ${name} (${role}) is listed twice`);
      return;
    }
    seen.add(apiKey.digest);
    keys.push(apiKey);
  });
  return problems.length > 0 ? { ok: false, message: problems.join('; ') } : { ok: true, keys };
}
