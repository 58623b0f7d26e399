import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface ServiceProcessOptions {
  readonly name: 'procurement' | 'inventory' | 'power' | 'revenue' | 'reporting';
  readonly port: number;
  readonly env: Record<string, string>;
}

/**
 * One Fleet service running from its webpack build (`dist/apps/<name>/main.js`) as a child
 * process, as `npm start` and the container run it.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private output: string[] = [];
  private peakRssBytes = 0;
  private sampler?: NodeJS.Timeout;

  constructor(readonly options: ServiceProcessOptions) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until `/health/ready` answers 200. */
  async start(readyTimeoutMs = 60_000): Promise<void> {
    const main = path.join(workspaceRoot, 'dist/apps', this.options.name, 'main.js');
    this.output = [];
    const child = spawn(process.execPath, [main], {
      cwd: workspaceRoot,
      env: { ...process.env, ...this.options.env, PORT: String(this.options.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.sampler = setInterval(() => this.sampleMemory(), 100);
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${this.options.name} exited during start-up:\n${this.recentOutput()}`);
      }
      try {
        const response = await fetch(`${this.baseUrl}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(
      `${this.options.name} was not ready within ${readyTimeoutMs} ms:\n${this.recentOutput()}`,
    );
  }

  /** SIGKILL: no shutdown hook runs, as when a node dies. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful path. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Peak resident set size seen (VmHWM of the process), in bytes. */
  peakMemoryBytes(): number {
    this.sampleMemory();
    return this.peakRssBytes;
  }

  recentOutput(): string {
    return this.output.join('').split('\n').slice(-60).join('\n');
  }

  private sampleMemory(): void {
    const pid = this.child?.pid;
    if (!pid || this.child?.exitCode !== null) return;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      if (match) this.peakRssBytes = Math.max(this.peakRssBytes, Number(match[1]) * 1024);
    } catch {
      // the process is gone
    }
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (this.sampler) clearInterval(this.sampler);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}
