import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { retryOnConflict, runInSharedTransaction, type EventStore } from '@fleet/event-sourcing';
import { ANONYMOUS_ACTOR, principalOf } from '../auth/principal';
import { ProblemException } from '../errors/problem';
import { EVENT_STORE } from '../module/tokens';
import {
  IdempotencyStore,
  type Claim,
  type IdempotentRequest,
  type StoredResponse,
} from './idempotency.store';
import { requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'] as const;

/** A request's command conflicting with another writer runs again this many times, as without a key. */
const MAX_CONFLICT_RETRIES = 3;

type Outcome = Exclude<Claim, { outcome: 'claimed' }> | { readonly outcome: 'ran'; readonly body: unknown };

/**
 * `Idempotency-Key` on every POST: the first response under a key is stored and replayed for a
 * retry of the same request (`Idempotent-Replayed: true`); the key on another request is a 422.
 *
 * The handler runs inside one shared event-store transaction that also claims the key and records
 * the answer, so the key's row commits exactly when the command does. A failure anywhere (the
 * handler, the read-back, the answer's record, the COMMIT itself) rolls all of it back and a retry
 * runs the command again; a retry after a commit whose acknowledgement was lost replays the answer.
 * A retry while the first request still runs waits for it and replays it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (request.method !== 'POST' || header === undefined) return next.handle();

    const key = typeof header === 'string' ? header.trim() : undefined;
    if (key === undefined || !ACCEPTABLE_KEY.test(key)) {
      throw new ProblemException({
        status: 400,
        code: 'invalid-idempotency-key',
        detail:
          'Idempotency-Key must be one value of 1 to 255 visible ASCII characters (a uuid is a good one)',
      });
    }
    const idempotent: IdempotentRequest = {
      actor: principalOf(request)?.actor ?? ANONYMOUS_ACTOR,
      key,
      method: request.method,
      path: request.url,
      hash: requestFingerprint(request.method, request.url, request.body),
    };
    const outcome = await retryOnConflict(
      () =>
        runInSharedTransaction(this.eventStore, async (session): Promise<Outcome> => {
          const claim = await this.keys.claim(session.manager, idempotent);
          if (claim.outcome !== 'claimed') return claim;
          const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
          await this.keys.complete(session.manager, idempotent, storedResponseOf(reply, body));
          return { outcome: 'ran', body };
        }),
      MAX_CONFLICT_RETRIES,
    );
    switch (outcome.outcome) {
      case 'ran':
        return of(outcome.body);
      case 'replay':
        reply.status(outcome.response.status);
        for (const [name, value] of Object.entries(outcome.response.headers)) reply.header(name, value);
        reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return of(outcome.response.body);
      case 'mismatch':
        throw new ProblemException({
          status: 422,
          code: 'idempotency-key-reused',
          detail: `this Idempotency-Key was first used for another request (${outcome.firstRequest} with a different body); use a new key for a new request`,
        });
      case 'in-flight':
        throw new ProblemException({
          status: 409,
          code: 'idempotency-key-in-flight',
          detail: 'the first request with this Idempotency-Key is still being processed; retry shortly',
          headers: { 'retry-after': '1' },
        });
    }
  }
}

/** The response as Fastify will send it. */
function storedResponseOf(reply: FastifyReply, body: unknown): StoredResponse {
  let text: string;
  let contentType: string;
  if (body === undefined) [text, contentType] = ['', 'text/plain; charset=utf-8'];
  else if (typeof body === 'string') [text, contentType] = [body, 'text/plain; charset=utf-8'];
  else if (Buffer.isBuffer(body) || typeof (body as { pipe?: unknown } | null)?.pipe === 'function')
    // Write routes answer JSON; a stream could not be replayed, so it is a programming error here.
    throw new Error(
      'a POST under an Idempotency-Key answered a stream or a buffer, which cannot be replayed',
    );
  else [text, contentType] = [JSON.stringify(body), 'application/json; charset=utf-8'];

  const headers: Record<string, string> = { 'content-type': contentType };
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  return { status: reply.statusCode, headers, body: text };
}
