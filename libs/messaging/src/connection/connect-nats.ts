import {
  AuthorizationError,
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
  type NatsConnection,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';
import type { NatsAuth, NatsSecurity } from './nats-security';
import { redactNatsUrls, scrubSecrets } from './redact-nats-url';
import { takeCredentialsFromUrls, type ServersWithoutCredentials } from './url-credentials';

export interface ConnectNatsOptions {
  /**
   * One URL, a comma-separated list, or an array (a cluster's seed servers). Credentials inside
   * (`nats://user:pass@host`) are taken out and used unless `security.auth` is given; they are
   * never printed.
   */
  readonly servers: string | readonly string[];
  /** Shown by the server (`nats server report connections`): the service's name. */
  readonly name: string;
  /** Credentials and TLS, read from the settings at start-up. */
  readonly security?: NatsSecurity;
  /** How long the first connection may take before start-up fails. Default 2000 ms. */
  readonly timeoutMs?: number;
}

/** Start-up could not reach NATS, or reached a server without JetStream. One line, says what to do. */
export class NatsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NatsUnavailableError';
  }
}

/**
 * Connects to NATS for a service. The first connection fails fast (a process that hangs waiting
 * for a server that is not there is worse than one that exits with a clear line); once connected,
 * the client reconnects forever, because a service that gives up on a NATS restart needs a human
 * to bring it back. Error messages show the servers with their credentials redacted and name the
 * setting a refused credential came from, never the credential.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const listed = serverList(options.servers);
  const where = redactNatsUrls(listed);
  let fromUrls: ServersWithoutCredentials;
  try {
    fromUrls = takeCredentialsFromUrls(listed);
  } catch (error) {
    throw new NatsUnavailableError(describe(error));
  }
  if (options.security?.auth && fromUrls.auth)
    throw new NatsUnavailableError(
      `NATS_URL carries credentials and ${options.security.auth.setting} is set too: keep one of them`,
    );
  const auth = options.security?.auth ?? fromUrls.auth;
  const tls = options.security?.tls;
  let connection: NatsConnection;
  try {
    connection = await connect({
      servers: fromUrls.servers,
      name: options.name,
      timeout: options.timeoutMs ?? 2000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      // Only the first attempt fails fast; later disconnects are retried forever.
      waitOnFirstConnect: false,
      // No stack captured for every request's would-be timeout: a relay publishing 12,000 events
      // otherwise spends more on those unused Error objects than on the publishes themselves.
      noAsyncTraces: true,
      ...(auth ? { authenticator: authenticatorOf(auth) } : {}),
      ...(tls ? { tls: tlsOptionsOf(tls) } : {}),
      ...(options.security?.inboxPrefix ? { inboxPrefix: options.security.inboxPrefix } : {}),
    });
  } catch (error) {
    // The client's error is described in the message, scrubbed, and not attached as a `cause`:
    // whoever prints the error whole (a stack, `inspect`) would print the cause unscrubbed.
    const text = scrubSecrets(describe(error), secretsOf(auth, listed));
    if (isAuthorizationFailure(error))
      throw new NatsUnavailableError(
        auth
          ? `NATS at ${where} refused the credentials of ${auth.setting} (${text}): check ${auth.setting}`
          : `NATS at ${where} requires credentials (${text}): set NATS_CREDS_FILE, NATS_TOKEN(_FILE) or NATS_USER and NATS_PASSWORD(_FILE)`,
      );
    throw new NatsUnavailableError(
      `NATS is not reachable at ${where} (${text})${tls ? ' over TLS (NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE)' : ''}: start one with \`nats-server -js\` or set NATS_URL`,
    );
  }
  if (!connection.info?.jetstream) {
    await connection.close();
    throw new NatsUnavailableError(
      `NATS at ${where} runs without JetStream: restart it with \`nats-server -js\` (JetStream enabled)`,
    );
  }
  return connection;
}

function authenticatorOf(auth: NatsAuth): Authenticator {
  const encoder = new TextEncoder();
  switch (auth.kind) {
    case 'creds':
      return credsAuthenticator(encoder.encode(auth.creds.reveal()));
    case 'nkey':
      return nkeyAuthenticator(encoder.encode(auth.seed.reveal().trim()));
    case 'token':
      return tokenAuthenticator(auth.token.reveal());
    case 'user':
      return usernamePasswordAuthenticator(auth.user, auth.password.reveal());
  }
}

function tlsOptionsOf(tls: NonNullable<NatsSecurity['tls']>): NonNullable<NodeConnectionOptions['tls']> {
  return {
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key.reveal() }),
  };
}

/** What an error text must never show: the credential, and any URL's user-info. */
function secretsOf(auth: NatsAuth | undefined, urls: readonly string[]): string[] {
  const secrets: string[] = [];
  if (auth?.kind === 'creds') secrets.push(auth.creds.reveal());
  if (auth?.kind === 'nkey') secrets.push(auth.seed.reveal().trim());
  if (auth?.kind === 'token') secrets.push(auth.token.reveal());
  if (auth?.kind === 'user') secrets.push(auth.password.reveal());
  for (const url of urls) {
    if (!URL.canParse(url)) continue;
    const { username, password } = new URL(url);
    secrets.push(password, decodeURIComponent(password));
    // A bare user-info is a token.
    if (password === '') secrets.push(username, decodeURIComponent(username));
  }
  return secrets;
}

function isAuthorizationFailure(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause)
    if (current instanceof AuthorizationError || /authorization violation/i.test(current.message))
      return true;
  return false;
}

function serverList(servers: string | readonly string[]): string[] {
  const list = (typeof servers === 'string' ? servers.split(',') : [...servers])
    .map((server) => server.trim())
    .filter((server) => server.length > 0);
  if (list.length === 0) throw new NatsUnavailableError('no NATS server URL given: set NATS_URL');
  return list;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
