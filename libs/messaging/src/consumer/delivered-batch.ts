import type { JsMsg } from '@nats-io/jetstream';

/**
 * The messages of one pull, taken off the fetch as soon as the server delivers them so that every
 * one of them, not only the one being handled, can tell the server it is still in hand: each
 * message's ack wait starts at its delivery, and a slow batch would otherwise have its tail
 * redelivered (to another instance) while it waits its turn.
 */
export class DeliveredBatch {
  private readonly queue: JsMsg[] = [];
  private current: JsMsg | undefined;
  /** The group `nextAvailable` handed out, until the next call. */
  private inHand: readonly JsMsg[] = [];
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  /** Ends a linger early: the fetch is over, nothing more will come. */
  private onEnd: (() => void) | undefined;

  constructor(messages: AsyncIterable<JsMsg>) {
    void this.pump(messages);
  }

  /** The next message in delivery order; undefined once the fetch is over and all were taken. */
  async next(): Promise<JsMsg | undefined> {
    this.current = undefined;
    this.inHand = [];
    while (this.queue.length === 0 && !this.ended)
      await new Promise<void>((resolve) => (this.wake = resolve));
    this.current = this.queue.shift();
    if (this.current === undefined && this.failure !== undefined) throw this.failure;
    return this.current;
  }

  /**
   * The next message and every one delivered behind it already, in delivery order (they are in
   * hand until the next call); empty once the fetch is over and all were taken. With `lingerMs`,
   * those delivered within that long after the first too (less if the fetch ends first): when
   * messages trickle in, a run gathers many of them instead of a handful.
   */
  async nextAvailable(lingerMs = 0): Promise<readonly JsMsg[]> {
    const first = await this.next();
    if (first === undefined) return [];
    if (lingerMs > 0 && !this.ended) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, lingerMs);
        this.onEnd = resolve;
      });
      clearTimeout(timer);
      this.onEnd = undefined;
    }
    const rest = this.queue.splice(0);
    this.current = undefined;
    this.inHand = [first, ...rest];
    return this.inHand;
  }

  /** Extends the ack wait of the message in hand and of every one delivered behind it. */
  working(): void {
    if (this.current) sendWorking(this.current);
    for (const message of this.inHand) sendWorking(message);
    for (const message of this.queue) sendWorking(message);
  }

  private async pump(messages: AsyncIterable<JsMsg>): Promise<void> {
    try {
      for await (const message of messages) {
        this.queue.push(message);
        this.wake?.();
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.ended = true;
      this.wake?.();
      this.onEnd?.();
    }
  }
}

function sendWorking(message: JsMsg): void {
  try {
    message.working();
  } catch {
    // Connection gone: the ack will fail too and the server redeliver; nothing to add here.
  }
}
