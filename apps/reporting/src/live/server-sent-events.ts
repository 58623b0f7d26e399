/**
 * The text/event-stream framing (WHATWG HTML, "Server-sent events"): fields `event`, `data`, `retry`,
 * a blank line ending each message, and comment lines (`:`) the client ignores.
 */

/** One named event whose data is JSON (JSON has no raw newline, so one `data:` line holds it). */
export function eventMessage(event: string, data: unknown): string {
  if (/[\r\n]/.test(event)) throw new Error('an event name cannot hold a line break');
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** How long the client waits before it reconnects, in milliseconds. */
export function retryMessage(milliseconds: number): string {
  return `retry: ${Math.max(0, Math.round(milliseconds))}\n\n`;
}

/** A comment: keeps the connection busy (proxies close idle ones) without an event for the page. */
export function commentMessage(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
