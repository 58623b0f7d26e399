/** One message of a text/event-stream: its event name (`message` when unnamed) and data. */
export interface EventStreamMessage {
  readonly event: string;
  readonly data: string;
}

/**
 * Parses a text/event-stream as it arrives in chunks (WHATWG HTML, "Server-sent events"): lines
 * end with LF, CR or CRLF, a blank line dispatches the message, `:` starts a comment, `retry`
 * sets the reconnection delay. The fetch-based client needs it because EventSource cannot send
 * the Authorization header.
 */
export class EventStreamParser {
  private pending = '';
  private event = '';
  private data: string[] = [];
  /** The server's last `retry:` in milliseconds, if it sent one. */
  retryMs: number | undefined;

  /** Feeds a chunk; returns the messages it completed. */
  push(chunk: string): EventStreamMessage[] {
    const messages: EventStreamMessage[] = [];
    this.pending += chunk;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.pending);
      // A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
      if (!match || (match[0] === '\r' && match.index === this.pending.length - 1)) break;
      const line = this.pending.slice(0, match.index);
      this.pending = this.pending.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): EventStreamMessage | undefined {
    if (line === '') {
      const message =
        this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n') } : undefined;
      this.event = '';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }
}
