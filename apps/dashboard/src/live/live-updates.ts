import { KeyRefusedError, problemDetail } from '../api/reports-client';
import { isReportName, type ReportName } from '../api/reports';
import { EventStreamParser } from './event-stream-parser';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveUpdateHandlers {
  /** The stream is up: read every report now (changes from here on are announced). */
  onConnected(): void;
  onChanged(reports: readonly ReportName[]): void;
  onState(state: LiveState): void;
  onKeyRefused(error: KeyRefusedError): void;
}

const DEFAULT_RETRY_MS = 3000;

/**
 * Follows `GET /reports/live` with fetch and a ReadableStream (EventSource cannot send the
 * Authorization header, and a key in the URL would be logged), reconnecting after the server's
 * `retry:` when the stream ends or fails, until `stop()`.
 */
export class LiveUpdates {
  private readonly abort = new AbortController();

  constructor(
    private readonly authorization: string,
    private readonly handlers: LiveUpdateHandlers,
    private readonly url = 'reports/live',
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
    this.handlers.onState('offline');
  }

  private async run(): Promise<void> {
    let retryMs = DEFAULT_RETRY_MS;
    this.handlers.onState('connecting');
    while (!this.abort.signal.aborted) {
      try {
        retryMs = (await this.follow()) ?? retryMs;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (error instanceof KeyRefusedError) {
          this.handlers.onKeyRefused(error);
          return;
        }
      }
      if (this.abort.signal.aborted) return;
      this.handlers.onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  /** One connection, until it ends; answers the server's retry delay. */
  private async follow(): Promise<number | undefined> {
    const response = await fetch(this.url, {
      headers: { authorization: this.authorization, accept: 'text/event-stream' },
      cache: 'no-store',
      signal: this.abort.signal,
    });
    if (response.status === 401 || response.status === 403) {
      throw new KeyRefusedError(response.status, await problemDetail(response));
    }
    if (!response.ok || !response.body) return undefined;
    const parser = new EventStreamParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return parser.retryMs;
      for (const message of parser.push(value)) {
        if (message.event === 'connected') {
          this.handlers.onState('live');
          this.handlers.onConnected();
        } else if (message.event === 'reports-changed') {
          this.handlers.onChanged(changedReportsOf(message.data));
        }
      }
    }
  }
}

/** The report names of a `reports-changed` event's data; unknown names are left out. */
export function changedReportsOf(data: string): ReportName[] {
  try {
    const parsed = JSON.parse(data) as { reports?: unknown };
    return Array.isArray(parsed.reports) ? parsed.reports.filter(isReportName) : [];
  } catch {
    return [];
  }
}
