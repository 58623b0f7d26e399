import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, concatMap, from, of, throwError, type Observable } from 'rxjs';
import { ANONYMOUS_ACTOR, principalOf } from '../auth/principal';
import { ProblemException } from '../errors/problem';
import { IdempotencyStore, type IdempotentRequest, type StoredResponse } from './idempotency.store';
import { requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'] as const;

/**
 * `Idempotency-Key` on every POST: the first response under a key is stored and replayed for a
 * retry of the same request (`Idempotent-Replayed: true`); the key on another request is a 422,
 * and a retry while the first is still running a 409. A failed request frees its key: its
 * transaction rolled back, so running it again is safe.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('IdempotencyInterceptor');

  constructor(private readonly store: IdempotencyStore) {}

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
    const claim = await this.store.claim(idempotent);
    switch (claim.outcome) {
      case 'replay':
        reply.status(claim.response.status);
        for (const [name, value] of Object.entries(claim.response.headers)) reply.header(name, value);
        reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return of(claim.response.body);
      case 'mismatch':
        throw new ProblemException({
          status: 422,
          code: 'idempotency-key-reused',
          detail: `this Idempotency-Key was first used for another request (${claim.firstRequest} with a different body); use a new key for a new request`,
        });
      case 'in-flight':
        throw new ProblemException({
          status: 409,
          code: 'idempotency-key-in-flight',
          detail: 'the first request with this Idempotency-Key is still being processed; retry shortly',
          headers: { 'retry-after': '1' },
        });
      case 'claimed':
        return next.handle().pipe(
          catchError((error: unknown) =>
            from(this.releaseQuietly(idempotent)).pipe(concatMap(() => throwError(() => error))),
          ),
          concatMap((body) =>
            from(this.completeQuietly(idempotent, reply, body)).pipe(concatMap(() => of(body))),
          ),
        );
    }
  }

  private async completeQuietly(
    request: IdempotentRequest,
    reply: FastifyReply,
    body: unknown,
  ): Promise<void> {
    const response = storedResponseOf(reply, body);
    try {
      // The command has committed: failing to remember its response must not turn it into an error.
      if (response) await this.store.complete(request, response);
      else await this.store.release(request);
    } catch (error) {
      this.logger.warn(`could not record the response of Idempotency-Key ${request.key}: ${String(error)}`);
    }
  }

  private async releaseQuietly(request: IdempotentRequest): Promise<void> {
    try {
      await this.store.release(request);
    } catch (error) {
      this.logger.warn(`could not free Idempotency-Key ${request.key}: ${String(error)}`);
    }
  }
}

/** The response as Fastify will send it; undefined for a body that cannot be stored (a stream). */
function storedResponseOf(reply: FastifyReply, body: unknown): StoredResponse | undefined {
  let text: string;
  let contentType: string;
  if (body === undefined) [text, contentType] = ['', 'text/plain; charset=utf-8'];
  else if (typeof body === 'string') [text, contentType] = [body, 'text/plain; charset=utf-8'];
  else if (Buffer.isBuffer(body) || typeof (body as { pipe?: unknown } | null)?.pipe === 'function')
    return undefined;
  else [text, contentType] = [JSON.stringify(body), 'application/json; charset=utf-8'];

  const headers: Record<string, string> = { 'content-type': contentType };
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  return { status: reply.statusCode, headers, body: text };
}
