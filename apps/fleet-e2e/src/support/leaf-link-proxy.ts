import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between a facility's leaf-node connection and headquarters' leaf-node port, so that a
 * test cuts the link and restores it at a moment of its choosing, as a WAN outage would: `cut()`
 * drops every open connection and refuses new ones (the facility's server keeps retrying),
 * `restore()` lets the next attempt through.
 */
export class LeafLinkProxy {
  private readonly open = new Set<Socket>();
  private readonly server: Server;
  private linked = true;
  private listeningOn = 0;

  private constructor(private readonly targetPort: number) {
    this.server = createServer((downstream) => this.accept(downstream));
  }

  static async start(targetPort: number): Promise<LeafLinkProxy> {
    const proxy = new LeafLinkProxy(targetPort);
    proxy.listeningOn = await new Promise<number>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => {
        const address = proxy.server.address();
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('the proxy has no port'));
      });
    });
    return proxy;
  }

  get port(): number {
    return this.listeningOn;
  }

  get url(): string {
    return `nats-leaf://127.0.0.1:${this.port}`;
  }

  /** Drops the link: open connections are destroyed, new ones closed at once. */
  cut(): void {
    this.linked = false;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  restore(): void {
    this.linked = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(downstream: Socket): void {
    if (!this.linked) {
      downstream.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    for (const [from, to] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      this.open.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.open.delete(from);
        to.destroy();
      });
    }
  }
}
