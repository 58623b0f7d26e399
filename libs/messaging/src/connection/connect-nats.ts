import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface ConnectNatsOptions {
  /** One URL, a comma-separated list, or an array (a cluster's seed servers). */
  readonly servers: string | readonly string[];
  /** Shown by the server (`nats server report connections`): the service's name. */
  readonly name: string;
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
 * to bring it back.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const servers = serverList(options.servers);
  const where = servers.join(', ');
  let connection: NatsConnection;
  try {
    connection = await connect({
      servers,
      name: options.name,
      timeout: options.timeoutMs ?? 2000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      // Only the first attempt fails fast; later disconnects are retried forever.
      waitOnFirstConnect: false,
    });
  } catch (error) {
    throw new NatsUnavailableError(
      `NATS is not reachable at ${where} (${describe(error)}): start one with \`nats-server -js\` or set NATS_URL`,
      { cause: error },
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
