import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { envelopeOf, idOf, rigRegistered } from './report-events';
import { KEYS, PROBLEM_JSON, startReporting, type ReportingApp } from './reporting-app';

/** One server-sent message: its event name (`message` when unnamed), data, or a comment. */
interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly comment?: string;
  readonly retry?: number;
}

/**
 * Reads `GET /reports/live` with the key in the header, the body as it arrives. node:http rather
 * than fetch: cancelling a fetch body leaves undici holding a connection that delays the server's
 * close, where destroying the request here closes its socket.
 */
class LiveStream {
  private buffer = '';
  private readonly seen: SseMessage[] = [];
  private finished = false;
  private wake: (() => void) | undefined;

  private constructor(
    private readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (text: string) => {
      this.take(text);
      this.wake?.();
    });
    const finish = () => {
      this.finished = true;
      this.wake?.();
    };
    response.on('end', finish);
    response.on('close', finish);
    response.on('error', finish);
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  header(name: string): string | undefined {
    const value = this.response.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  static open(baseUrl: string, key: string | null): Promise<LiveStream> {
    return new Promise((resolve, reject) => {
      const request = get(
        `${baseUrl}/reports/live`,
        { headers: key === null ? {} : { authorization: `Bearer ${key}` } },
        (response) => resolve(new LiveStream(request, response)),
      );
      request.on('error', reject);
    });
  }

  /** The whole body of a short answer (a refusal). */
  async text(): Promise<string> {
    while (!this.finished) await this.changed(15_000);
    return this.buffer;
  }

  /** The first message (not yet taken) that `matches`, waiting for it up to `timeoutMs`. */
  async next(
    matches: (message: SseMessage) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.seen.findIndex(matches);
      if (index >= 0) return this.seen.splice(0, index + 1)[index] as SseMessage;
      if (this.finished) throw new Error(`the stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; buffered: ${JSON.stringify(this.seen)}`);
      await this.changed(left);
    }
  }

  /** Resolves when the server ends the stream. */
  async ended(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.finished) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the stream is still open');
      await this.changed(left);
    }
  }

  cancel(): void {
    this.request.destroy();
  }

  private changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private take(text: string): void {
    this.buffer += text;
    if (this.status !== 200) return;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      let comment: string | undefined;
      let retry: number | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comment = line.slice(1).trim();
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
      }
      this.seen.push({ event, data: data.join('\n'), comment, retry });
    }
  }
}

const changed = (report: string) => (message: SseMessage) =>
  message.event === 'reports-changed' &&
  (JSON.parse(message.data) as { reports: string[] }).reports.includes(report);

async function listen(app: ReportingApp): Promise<string> {
  await app.app.listen(0, '127.0.0.1');
  const address = app.app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('not listening on a port');
  return `http://127.0.0.1:${address.port}`;
}

const LIVE_SETTINGS = {
  REPORTING_LIVE_MAX_STREAMS: '3',
  REPORTING_LIVE_POLL_MS: '200',
  REPORTING_LIVE_HEARTBEAT_MS: '1000',
};

describe.each<TestDriver>(['sqlite', 'postgres'])('GET /reports/live on %s', (driver) => {
  let app: ReportingApp;
  let baseUrl: string;
  const open: LiveStream[] = [];
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // Read from the environment when the module is built, as in production.
    for (const [name, value] of Object.entries(LIVE_SETTINGS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    app = await startReporting(driver);
    baseUrl = await listen(app);
  });
  afterEach(async () => {
    for (const stream of open.splice(0)) stream.cancel();
  });
  afterAll(async () => {
    await app?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const openStream = async (key: string | null = KEYS.reports) => {
    const stream = await LiveStream.open(baseUrl, key);
    open.push(stream);
    return stream;
  };

  it('streams which reports changed as the consumers commit their folds, with heartbeats', async () => {
    const stream = await openStream();
    expect(stream.status).toBe(200);
    expect(stream.header('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.header('cache-control')).toContain('no-cache');
    expect((await stream.next((message) => message.retry !== undefined, 'retry')).retry).toBe(3000);
    const connected = await stream.next((message) => message.event === 'connected', 'connected');
    expect(JSON.parse(connected.data)).toEqual({ reports: ['fleet', 'procurement', 'power', 'pnl'] });

    await app.publish('inventory', rigRegistered(1));
    const fleet = await stream.next((message) => message.event === 'reports-changed', 'the fleet change');
    expect(JSON.parse(fleet.data)).toEqual({ reports: ['fleet'] });

    await app.publish(
      'procurement',
      envelopeOf('PurchaseOrderPlaced', {
        orderId: idOf(1, 41),
        facilityId: 'us-tx-01',
        vendor: 'ASICminer',
        lines: [{ model: 'asicminer-8-nano', quantity: 10, unitPrice: { amount: '1000', currency: 'USD' } }],
        expectedDelivery: '2027-03-01',
      }),
    );
    const procurement = await stream.next(
      (message) => message.event === 'reports-changed',
      'the procurement change',
    );
    expect(JSON.parse(procurement.data)).toEqual({ reports: ['procurement'] });
    // The change is committed when it is announced: the report read now has it.
    const report = (await app.call('GET', '/reports/procurement')).json<{
      pipeline: { orderId: string }[];
    }>();
    expect(report.pipeline.map((line) => line.orderId)).toContain(idOf(1, 41));

    await stream.next((message) => message.comment === 'heartbeat', 'a heartbeat', 5000);
  });

  it('announces what another instance commits: change is read from the database, not this instance’s folds', async () => {
    const stream = await openStream();
    await stream.next((message) => message.event === 'connected', 'connected');
    // As another replica's fold of a revenue event would leave it, without this instance folding anything.
    await app.app.get(DataSource).query(
      `INSERT INTO report_checkpoints (generation, consumer, position, stream_sequence, rebuilt_through, events, updated_at)
         SELECT generation, 'reporting-revenue', 7, 7, 0, 1, '2026-11-29T00:00:00.000Z' FROM report_active_generation WHERE id = 1`,
    );
    const pnl = await stream.next((message) => message.event === 'reports-changed', 'the pnl change');
    expect(JSON.parse(pnl.data)).toEqual({ reports: ['pnl'] });
  });

  it('admits the report readers only, by the Authorization header', async () => {
    const anonymous = await openStream(null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.header('content-type')).toBe(PROBLEM_JSON);
    const procurement = await openStream(KEYS.procurement);
    expect(procurement.status).toBe(403);
    const finance = await openStream(KEYS.finance);
    expect(finance.status).toBe(200);
  });

  it(`answers 503 past REPORTING_LIVE_MAX_STREAMS open streams, and admits again once one closes`, async () => {
    const streams = [await openStream(), await openStream(), await openStream()];
    for (const stream of streams) await stream.next((message) => message.event === 'connected', 'connected');
    const refused = await openStream();
    expect(refused.status).toBe(503);
    expect(refused.header('content-type')).toBe(PROBLEM_JSON);
    expect(refused.header('retry-after')).toBeDefined();
    expect(JSON.parse(await refused.text())).toMatchObject({ code: 'too-many-live-streams' });

    streams[0]?.cancel();
    const admitted = await waitForAdmission(baseUrl);
    open.push(admitted);
    expect(admitted.status).toBe(200);
  });
});

/** Opens a stream once the server has noticed a closed one (the close reaches it asynchronously). */
async function waitForAdmission(baseUrl: string): Promise<LiveStream> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stream = await LiveStream.open(baseUrl, KEYS.reports);
    if (stream.status === 200) return stream;
    stream.cancel();
    if (Date.now() > deadline) throw new Error(`still ${stream.status} after a stream closed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /reports/live with two replicas on one PostgreSQL database', () => {
  let database: TestDatabase;
  let first: ReportingApp;
  let second: ReportingApp;
  let firstUrl: string;
  let secondUrl: string;

  beforeAll(async () => {
    process.env['REPORTING_LIVE_POLL_MS'] = '200';
    database = await createTestDatabase('postgres');
    first = await startReporting('postgres', { sharedDatabase: database });
    second = await startReporting('postgres', { sharedDatabase: database, sharedNames: first.names });
    firstUrl = await listen(first);
    secondUrl = await listen(second);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await database?.dispose();
    delete process.env['REPORTING_LIVE_POLL_MS'];
  });

  it('tells every replica’s clients of every change, whichever replica folded it', async () => {
    const streams = [
      await LiveStream.open(firstUrl, KEYS.reports),
      await LiveStream.open(secondUrl, KEYS.reports),
    ];
    try {
      for (const stream of streams)
        await stream.next((message) => message.event === 'connected', 'connected');
      // Both replicas pull from the one durable consumer: each folds only some of these.
      for (let rig = 1; rig <= 6; rig++) await first.publish('inventory', rigRegistered(100 + rig));
      for (const stream of streams) await stream.next(changed('fleet'), 'the fleet change');
    } finally {
      for (const stream of streams) stream.cancel();
    }
  });

  it('ends its open streams when the service stops, so that it stops promptly', async () => {
    const stream = await LiveStream.open(secondUrl, KEYS.reports);
    await stream.next((message) => message.event === 'connected', 'connected');
    const closing = second.close();
    await stream.ended(10_000);
    await closing;
  });
});

describe('GET / (the dashboard)', () => {
  let app: ReportingApp;
  const bundle = mkdtempSync(path.join(tmpdir(), 'fleet-dashboard-'));

  beforeAll(async () => {
    mkdirSync(path.join(bundle, 'assets'));
    writeFileSync(path.join(bundle, 'index.html'), '<!doctype html><title>Fleet</title>');
    writeFileSync(path.join(bundle, 'assets', 'index-abc123.js'), 'console.log(1)');
    process.env['DASHBOARD_DIR'] = bundle;
    app = await startReporting('sqlite');
  });
  afterAll(async () => {
    await app?.close();
    delete process.env['DASHBOARD_DIR'];
    rmSync(bundle, { recursive: true, force: true });
  });

  it('serves the page and its assets without an API key, allowing nothing from another origin', async () => {
    const page = await app.call('GET', '/', { as: null });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<title>Fleet</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const script = await app.call('GET', '/assets/index-abc123.js', { as: null });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.headers['cache-control']).toContain('immutable');
  });

  it('keeps the reports behind their roles and serves nothing outside the bundle', async () => {
    expect((await app.call('GET', '/reports/fleet', { as: null })).statusCode).toBe(401);
    expect((await app.call('GET', '/assets/missing.js', { as: null })).statusCode).toBe(404);
    expect((await app.call('GET', '/assets/..%2f..%2fetc%2fpasswd', { as: null })).statusCode).toBe(404);
  });
});
