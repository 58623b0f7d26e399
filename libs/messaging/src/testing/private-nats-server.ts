import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NATS_SERVER = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';

export interface PrivateNatsServerOptions {
  /**
   * Configuration files, by name, written next to each other in the server's directory; the server
   * reads `nats.conf` (`-c`), which may `include` the others. Listen address, port, JetStream and
   * its store come from the command line and win over the files.
   */
  readonly configFiles?: Readonly<Record<string, string>>;
  /** The server's environment (variables a configuration file refers to, e.g. `$PASSWORD`). */
  readonly env?: Readonly<Record<string, string>>;
  /** `tls://` in `url` (the configuration enables TLS). */
  readonly tls?: boolean;
}

/**
 * A nats-server of the test's own, on a free port with its own store directory, so a test can kill
 * and restart it without touching the shared server on 4222.
 */
export class PrivateNatsServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly storeDirectory: string,
    private readonly options: PrivateNatsServerOptions,
  ) {}

  static async start(options: PrivateNatsServerOptions = {}): Promise<PrivateNatsServer> {
    const directory = await mkdtemp(join(tmpdir(), 'fleet-nats-'));
    for (const [name, content] of Object.entries(options.configFiles ?? {}))
      await writeFile(join(directory, name), content);
    const server = new PrivateNatsServer(await freePort(), directory, options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `${this.options.tls ? 'tls' : 'nats'}://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on the same port and store, and waits until it accepts connections. */
  async restart(): Promise<void> {
    if (this.process) throw new Error('the private nats-server is already running');
    const configFile =
      this.options.configFiles?.['nats.conf'] === undefined
        ? []
        : ['-c', join(this.storeDirectory, 'nats.conf')];
    const child = spawn(
      NATS_SERVER,
      [...configFile, '-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDirectory],
      { stdio: 'ignore', env: { ...process.env, ...this.options.env } },
    );
    this.process = child;
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${this.port} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no chance to flush anything, as in a crash. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.storeDirectory, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
