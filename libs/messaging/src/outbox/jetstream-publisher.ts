import { JetStreamApiError, JetStreamError, type ApiError, type PubAck } from '@nats-io/jetstream';
import {
  createInbox,
  PermissionViolationError,
  TimeoutError,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { stopStatusIterator } from './stop-status-iterator';

/** What JetStream answers a publish: the stored message's place, or why it was refused. */
interface PublishAnswer {
  readonly stream?: string;
  readonly domain?: string;
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: ApiError;
}

interface AwaitedAck {
  readonly subject: string;
  /** `Date.now()` after which the publish counts as lost. */
  readonly deadline: number;
  readonly resolve: (ack: PubAck) => void;
  readonly reject: (error: Error) => void;
}

/**
 * JetStream publishes for a sender that keeps hundreds unacknowledged (the outbox relay). A
 * JetStream publish is a core NATS publish with a reply subject: the stream's ack comes back there.
 * `jetstream(nc).publish` makes each one a full request (an options copy, a header rebuild, a
 * request record with its own timer and promise race, and an `Error` whose stack is captured when
 * the request is cleaned up, `noAsyncTraces` or not): about as much CPU as the publish itself.
 * Here every reply subject is a token under one inbox subscription, answers are matched in a map,
 * and one timer watches the oldest unanswered publish's deadline.
 *
 * Same answers as `jetstream(nc).publish`: a `PubAck`, a `JetStreamApiError` when the stream
 * refuses the message (a failed `Nats-Expected-*` check), a `TimeoutError` when no answer came in
 * time, a `JetStreamError` when no stream stores the subject, the server's permission violation
 * when the connection may not publish to it. The caller sets every header, `Nats-Msg-Id` included.
 */
export class JetStreamPublisher {
  private readonly inboxPrefix: string;
  private inbox = '';
  private subscription: Subscription | undefined;
  private statuses: AsyncIterable<unknown> | undefined;
  /** By reply subject, in publish order, so deadlines come in order too. */
  private readonly awaited = new Map<string, AwaitedAck>();
  private nextToken = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly timeoutMs: number,
  ) {
    this.inboxPrefix = inboxPrefixOf(connection);
  }

  /**
   * Sends the message and resolves with the stream's ack. Throws at once when the client refuses
   * to send it (a closed connection, a message over the server's `max_payload`).
   */
  publish(subject: string, data: Uint8Array, headers: MsgHdrs): Promise<PubAck> {
    this.listen();
    const reply = `${this.inbox}.${(this.nextToken++).toString(36)}`;
    this.connection.publish(subject, data, { reply, headers });
    return new Promise<PubAck>((resolve, reject) => {
      this.awaited.set(reply, { subject, deadline: Date.now() + this.timeoutMs, resolve, reject });
      this.timer ??= setTimeout(this.expire, this.timeoutMs);
    });
  }

  /** Ends the subscription; publishes still unanswered fail. */
  close(): void {
    stopStatusIterator(this.statuses);
    this.statuses = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription && !subscription.isClosed()) subscription.unsubscribe();
    this.failAll(new JetStreamError('the publisher was closed before JetStream answered'));
  }

  /** The answers' subscription (again, after a permission error closed it) and the status watch. */
  private listen(): void {
    if (this.subscription && !this.subscription.isClosed()) return;
    this.inbox = createInbox(this.inboxPrefix);
    const subscription = this.connection.subscribe(`${this.inbox}.*`, {
      callback: (error, msg) => this.answer(error, msg),
    });
    this.subscription = subscription;
    void subscription.closed.then((reason) => {
      // A replaced subscription's answers no longer matter: their publishes have failed already.
      if (this.subscription === subscription)
        this.failAll(reason instanceof Error ? reason : new JetStreamError('the ack subscription closed'));
    });
    if (!this.statuses) this.watchPermissionErrors();
  }

  private answer(error: Error | null, msg: Msg): void {
    if (error) {
      this.failAll(error);
      return;
    }
    const awaited = this.awaited.get(msg.subject);
    // Answered after its deadline: the caller has moved on and will publish it again.
    if (!awaited) return;
    this.forget(msg.subject);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      awaited.reject(new JetStreamError(`no stream stores ${awaited.subject} (no responders)`));
      return;
    }
    let answer: PublishAnswer;
    try {
      answer = msg.json<PublishAnswer>();
    } catch {
      awaited.reject(new JetStreamError('invalid ack response: not JSON'));
      return;
    }
    if (answer.error) awaited.reject(new JetStreamApiError(answer.error));
    else if (!answer.stream || answer.seq === undefined)
      awaited.reject(new JetStreamError('invalid ack response'));
    else
      awaited.resolve({
        stream: answer.stream,
        seq: answer.seq,
        duplicate: answer.duplicate === true,
        ...(answer.domain === undefined ? {} : { domain: answer.domain }),
      });
  }

  private forget(reply: string): void {
    this.awaited.delete(reply);
    if (this.awaited.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Fails the publishes past their deadline, and waits for the next one's. */
  private readonly expire = (): void => {
    this.timer = undefined;
    const now = Date.now();
    for (const [reply, awaited] of this.awaited) {
      if (awaited.deadline > now) {
        this.timer = setTimeout(this.expire, awaited.deadline - now);
        return;
      }
      this.awaited.delete(reply);
      awaited.reject(new TimeoutError());
    }
  };

  private failAll(error: Error): void {
    const failed = [...this.awaited.values()];
    this.awaited.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const awaited of failed) awaited.reject(error);
  }

  /**
   * The server refuses a publish the connection may not make with an error on the connection, not
   * on the reply subject: without this the publish would only time out.
   */
  private watchPermissionErrors(): void {
    const statuses = this.connection.status();
    this.statuses = statuses;
    void (async () => {
      for await (const status of statuses) {
        const error = (status as { type?: string; error?: unknown }).error;
        if (!(error instanceof PermissionViolationError) || error.operation !== 'publish') continue;
        for (const [reply, awaited] of [...this.awaited])
          if (awaited.subject === error.subject) {
            this.forget(reply);
            awaited.reject(error);
          }
      }
    })();
  }
}

/**
 * The connection's reply prefix (`_INBOX_<user>` where each user may subscribe to its own replies
 * only). Not on the `NatsConnection` type; nats.js's own JetStream client reads it the same way.
 */
function inboxPrefixOf(connection: NatsConnection): string {
  return (connection as { options?: { inboxPrefix?: string } }).options?.inboxPrefix || '_INBOX';
}
