import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

const NATS_SERVER = process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server';

export interface FacilityLink {
  /** Where headquarters' leaf-node port is reached (`nats-leaf://…`, through a `LeafLinkProxy`). */
  readonly hqLeafUrl: string;
  /**
   * Subjects kept off the link both ways (`fleet.>`): events travel to headquarters by stream
   * sourcing only, never as core messages into another domain's streams (docs/hq.md).
   */
  readonly deniedSubjects: readonly string[];
}

/**
 * A nats-server of the test's own with a JetStream domain, on free ports with a temporary store:
 * headquarters (domain `hq`, accepting leaf nodes) or a facility (its own domain, a leaf node of
 * headquarters). Configured as k8s/nats-hq and k8s/nats-facility configure the real ones.
 */
export class JetStreamDomainServer {
  private child: ChildProcess | undefined;
  private output: string[] = [];

  private constructor(
    readonly domain: string,
    readonly port: number,
    readonly leafPort: number | undefined,
    private readonly directory: string,
  ) {}

  static async headquarters(): Promise<JetStreamDomainServer> {
    const server = new JetStreamDomainServer('hq', await freePort(), await freePort(), tempDirectory('hq'));
    // A hub tells its leaf nodes its own leaf-node URL, and a facility that lost its link retries
    // that one as well as the one configured: it would come back past the test's proxy, which could
    // then not keep it cut. Advertising a URL nobody listens on leaves the proxy the only way in.
    server.configure(`leafnodes { listen: 127.0.0.1:${server.leafPort}, advertise: "127.0.0.1:1" }`);
    await server.start();
    return server;
  }

  static async facility(domain: string, link: FacilityLink): Promise<JetStreamDomainServer> {
    const server = new JetStreamDomainServer(domain, await freePort(), undefined, tempDirectory(domain));
    const denied = JSON.stringify(link.deniedSubjects);
    server.configure(
      `leafnodes { remotes: [ { url: "${link.hqLeafUrl}", deny_imports: ${denied}, deny_exports: ${denied} } ] }`,
    );
    await server.start();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  recentOutput(): string {
    return this.output.join('').split('\n').slice(-40).join('\n');
  }

  async dispose(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }

  private configure(leafnodes: string): void {
    writeFileSync(
      path.join(this.directory, 'nats.conf'),
      [
        `server_name: ${this.domain}-${this.port}`,
        `listen: 127.0.0.1:${this.port}`,
        `jetstream { domain: ${this.domain}, store_dir: "${path.join(this.directory, 'store')}" }`,
        leafnodes,
      ].join('\n'),
    );
  }

  private async start(): Promise<void> {
    const child = spawn(NATS_SERVER, ['-c', path.join(this.directory, 'nats.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null)
        throw new Error(
          `nats-server (${this.domain}) exited with ${child.exitCode}:\n${this.recentOutput()}`,
        );
      if (Date.now() > deadline) throw new Error(`nats-server (${this.domain}) did not listen within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function tempDirectory(label: string): string {
  return mkdtempSync(path.join(tmpdir(), `fleet-e2e-nats-${label}-`));
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
