import { ProblemException } from '@fleet/service-kit';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LIVE_SETTINGS, type LiveSettings } from './live-settings';
import { ReportChangeWatcher } from './report-change-watcher';
import { REPORT_NAMES } from './report-names';
import { commentMessage, eventMessage, retryMessage } from './server-sent-events';

/** How long a page waits before it reconnects after the stream ends. */
export const LIVE_RETRY_MS = 3000;

/** The events of `GET /reports/live`. */
export const LIVE_EVENTS = {
  /** The stream is up: read the reports now; every change from here on is announced. */
  connected: 'connected',
  /** `{ reports: ['fleet', …] }`: read these again. */
  reportsChanged: 'reports-changed',
} as const;

/** One open stream: how to end it from here (shutdown). */
interface OpenStream {
  end(): void;
}

/**
 * The open `GET /reports/live` streams of this instance: at most `REPORTING_LIVE_MAX_STREAMS`
 * (503 past it), each told which reports changed, a heartbeat comment every
 * `REPORTING_LIVE_HEARTBEAT_MS`, and all ended when the service stops, so it stops promptly.
 */
@Injectable()
export class LiveReportStreams implements OnModuleDestroy {
  private readonly open = new Set<OpenStream>();
  private closing = false;

  constructor(
    private readonly watcher: ReportChangeWatcher,
    @Inject(LIVE_SETTINGS) private readonly settings: LiveSettings,
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** Answers the request with a stream that lasts until the client leaves or the service stops. */
  async stream(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (this.closing) {
      throw new ProblemException({
        status: 503,
        code: 'shutting-down',
        detail: 'this instance is stopping; connect again',
        headers: { 'retry-after': '1' },
      });
    }
    if (this.open.size >= this.settings.maxStreams) {
      throw new ProblemException({
        status: 503,
        code: 'too-many-live-streams',
        detail: `this instance keeps at most ${this.settings.maxStreams} live streams open (REPORTING_LIVE_MAX_STREAMS); try again later`,
        headers: { 'retry-after': '10' },
      });
    }
    // Counted from here, before anything is awaited, so that concurrent requests respect the bound.
    const timers: { heartbeat?: NodeJS.Timeout } = {};
    let unsubscribe: (() => void) | undefined;
    let ended = false;
    const stream: OpenStream = {
      end: () => {
        if (ended) return;
        ended = true;
        this.open.delete(stream);
        clearInterval(timers.heartbeat);
        unsubscribe?.();
        // The last chunk, then the connection itself: a kept-alive socket would hold up the
        // server's close until its idle timeout.
        if (reply.raw.headersSent) reply.raw.end(() => reply.raw.destroy());
      },
    };
    // The client went away: nothing more to write, free the socket now.
    const left = () => {
      stream.end();
      if (!reply.raw.destroyed) reply.raw.destroy();
    };
    this.open.add(stream);
    request.raw.once('close', left);
    try {
      unsubscribe = await this.watcher.subscribe((reports) => {
        if (!ended) reply.raw.write(eventMessage(LIVE_EVENTS.reportsChanged, { reports }));
      });
    } catch (error) {
      stream.end();
      throw error;
    }
    if (ended) {
      // The client left while the baseline was read.
      unsubscribe();
      return;
    }
    // Nest does not answer for this route any more: the response is written below until it ends.
    reply.hijack();
    // What the hooks set on the reply (the correlation id) goes out with the stream's own headers.
    const set = Object.entries(reply.getHeaders()).filter(
      (entry): entry is [string, string | number | string[]] => entry[1] !== undefined,
    );
    reply.raw.writeHead(200, {
      ...Object.fromEntries(set),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx (an ingress) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    reply.raw.write(retryMessage(LIVE_RETRY_MS));
    reply.raw.write(eventMessage(LIVE_EVENTS.connected, { reports: REPORT_NAMES }));
    timers.heartbeat = setInterval(
      () => reply.raw.write(commentMessage('heartbeat')),
      this.settings.heartbeatMs,
    );
    reply.raw.once('close', left);
    // A write that meets a broken connection: the stream is over (an unheard 'error' would crash).
    reply.raw.on('error', left);
  }

  onModuleDestroy(): void {
    this.closing = true;
    for (const stream of [...this.open]) stream.end();
  }
}
