import { readFileSync } from 'node:fs';
import { NatsSecret, type NatsAuth, type NatsSecurity, type NatsTls } from '@fleet/messaging';

/** The settings that say how to authenticate to NATS and whether to use TLS. */
export const NATS_SECURITY_SETTINGS = [
  'NATS_CREDS_FILE',
  'NATS_NKEY_SEED_FILE',
  'NATS_TOKEN',
  'NATS_TOKEN_FILE',
  'NATS_USER',
  'NATS_PASSWORD',
  'NATS_PASSWORD_FILE',
  'NATS_TLS_CA_FILE',
  'NATS_TLS_CERT_FILE',
  'NATS_TLS_KEY_FILE',
  'NATS_INBOX_PREFIX',
] as const;
export type NatsSecuritySetting = (typeof NATS_SECURITY_SETTINGS)[number];

const INBOX_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

type Present = Partial<Record<NatsSecuritySetting | 'NATS_URL', string>>;
type Problem = { readonly setting: NatsSecuritySetting | 'NATS_URL'; readonly message: string };

export type NatsSecurityResult =
  | { readonly ok: true; readonly security: NatsSecurity }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Reads the NATS credential and TLS settings, and the files they name, once at start-up. A file
 * that cannot be read, or settings that contradict each other, are problems naming the setting
 * (and the file's path), never a credential.
 */
export function loadNatsSecurity(present: Present): NatsSecurityResult {
  const problems: Problem[] = [];
  const read: ReadSetting = (setting, shape) => {
    const path = present[setting]?.trim();
    if (path === undefined) return undefined;
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push({ setting, message: `cannot read the file ${path} (${code})` });
      return undefined;
    }
    if (content.trim() === '') problems.push({ setting, message: `the file ${path} is empty` });
    else if (shape && !shape.test(content))
      problems.push({ setting, message: `the file ${path} is not ${shape.what}` });
    return content;
  };

  const ways = (
    [
      ['NATS_CREDS_FILE'],
      ['NATS_NKEY_SEED_FILE'],
      ['NATS_TOKEN', 'NATS_TOKEN_FILE'],
      ['NATS_USER', 'NATS_PASSWORD', 'NATS_PASSWORD_FILE'],
    ] as const
  ).filter((settings) => settings.some((setting) => present[setting] !== undefined));
  if (ways.length > 1)
    problems.push({
      setting: ways[1][0],
      message: `one way to authenticate at a time: ${ways.map((settings) => settings.filter((s) => present[s] !== undefined).join('+')).join(' and ')} are set`,
    });
  if (present.NATS_TOKEN !== undefined && present.NATS_TOKEN_FILE !== undefined)
    problems.push({ setting: 'NATS_TOKEN_FILE', message: 'set NATS_TOKEN or NATS_TOKEN_FILE, not both' });
  if (present.NATS_PASSWORD !== undefined && present.NATS_PASSWORD_FILE !== undefined)
    problems.push({
      setting: 'NATS_PASSWORD_FILE',
      message: 'set NATS_PASSWORD or NATS_PASSWORD_FILE, not both',
    });
  const hasPassword = present.NATS_PASSWORD !== undefined || present.NATS_PASSWORD_FILE !== undefined;
  if (present.NATS_USER === undefined && hasPassword)
    problems.push({ setting: 'NATS_USER', message: 'is required with NATS_PASSWORD or NATS_PASSWORD_FILE' });
  if (present.NATS_USER !== undefined && !hasPassword)
    problems.push({
      setting: 'NATS_PASSWORD',
      message: 'is required with NATS_USER (or NATS_PASSWORD_FILE)',
    });
  if ((present.NATS_TLS_CERT_FILE === undefined) !== (present.NATS_TLS_KEY_FILE === undefined))
    problems.push({
      setting: present.NATS_TLS_CERT_FILE === undefined ? 'NATS_TLS_CERT_FILE' : 'NATS_TLS_KEY_FILE',
      message: 'a client certificate needs both NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE',
    });
  if (ways.length > 0 && urlsCarryCredentials(present.NATS_URL))
    problems.push({
      setting: 'NATS_URL',
      message: `carries credentials and ${ways[0][0]} is set too: keep one of them`,
    });

  const inboxPrefix = present.NATS_INBOX_PREFIX?.trim();
  if (inboxPrefix !== undefined && !INBOX_PREFIX.test(inboxPrefix))
    problems.push({
      setting: 'NATS_INBOX_PREFIX',
      message: `must be subject tokens without wildcards, e.g. _INBOX_inventory (got "${inboxPrefix}")`,
    });

  const auth = authOf(present, read);
  const tls = tlsOf(read);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    security: { ...(auth ? { auth } : {}), ...(tls ? { tls } : {}), ...(inboxPrefix ? { inboxPrefix } : {}) },
  };
}

/** Reads the file a setting names; a problem (never the content) when it cannot, or when it is not `shape`. */
type ReadSetting = (
  setting: NatsSecuritySetting,
  shape?: { readonly test: (content: string) => boolean; readonly what: string },
) => string | undefined;

const CREDS_FILE = {
  test: (content: string) =>
    content.includes('-----BEGIN NATS USER JWT-----') && content.includes('-----BEGIN USER NKEY SEED-----'),
  what: 'a .creds file (a user JWT and its nkey seed, as `nsc generate creds` writes it)',
};
const NKEY_SEED_FILE = {
  test: (content: string) => /^SU[A-Z2-7]{56}$/.test(content.trim()),
  what: 'an nkey user seed (one line, SU…)',
};

const PEM_CERTIFICATE = {
  test: (content: string) => content.includes('-----BEGIN CERTIFICATE-----'),
  what: 'a PEM certificate (-----BEGIN CERTIFICATE-----)',
};
const PEM_PRIVATE_KEY = {
  test: (content: string) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(content),
  what: 'a PEM private key (-----BEGIN … PRIVATE KEY-----)',
};

function authOf(present: Present, read: ReadSetting): NatsAuth | undefined {
  const creds = read('NATS_CREDS_FILE', CREDS_FILE);
  if (creds !== undefined) return { kind: 'creds', setting: 'NATS_CREDS_FILE', creds: new NatsSecret(creds) };
  const seed = read('NATS_NKEY_SEED_FILE', NKEY_SEED_FILE);
  if (seed !== undefined)
    return { kind: 'nkey', setting: 'NATS_NKEY_SEED_FILE', seed: new NatsSecret(seed.trim()) };
  if (present.NATS_TOKEN !== undefined)
    return { kind: 'token', setting: 'NATS_TOKEN', token: new NatsSecret(present.NATS_TOKEN) };
  const token = read('NATS_TOKEN_FILE');
  if (token !== undefined)
    return { kind: 'token', setting: 'NATS_TOKEN_FILE', token: new NatsSecret(token.trim()) };
  if (present.NATS_USER === undefined) return undefined;
  // A file written by `kubectl create secret` or an editor may end with a newline; no password does.
  const password = present.NATS_PASSWORD ?? read('NATS_PASSWORD_FILE')?.replace(/\r?\n$/, '');
  if (password === undefined) return undefined;
  return {
    kind: 'user',
    setting: present.NATS_PASSWORD === undefined ? 'NATS_USER/NATS_PASSWORD_FILE' : 'NATS_USER/NATS_PASSWORD',
    user: present.NATS_USER.trim(),
    password: new NatsSecret(password),
  };
}

function tlsOf(read: ReadSetting): NatsTls | undefined {
  const ca = read('NATS_TLS_CA_FILE', PEM_CERTIFICATE);
  const cert = read('NATS_TLS_CERT_FILE', PEM_CERTIFICATE);
  const key = read('NATS_TLS_KEY_FILE', PEM_PRIVATE_KEY);
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key: new NatsSecret(key) }),
  };
}

function urlsCarryCredentials(urls: string | undefined): boolean {
  return (urls ?? '')
    .split(',')
    .map((url) => url.trim())
    .some((url) => URL.canParse(url) && (new URL(url).username !== '' || new URL(url).password !== ''));
}
