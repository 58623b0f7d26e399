import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { documentIfMatch, parseIfMatch } from './etag';
import { eraseReflectedType } from './method-decorator-on-parameter';
import { requestContextOf, type RequestContext } from './request-context';

/** What a write route needs of its request besides params and body. */
export interface CommandRequest {
  /** Who asked, and the correlation id the events carry. */
  readonly context: RequestContext;
  /** The `If-Match` version, when the client sent one. */
  readonly ifMatch: number | undefined;
  /** For headers on the answer (`replyWithVersion`); the body is the handler's return value. */
  readonly reply: FastifyReply;
}

const commandRequestParameter = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandRequest => {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    return {
      context: requestContextOf(request),
      ifMatch: parseIfMatch(request.headers['if-match']),
      reply: http.getResponse<FastifyReply>(),
    };
  },
);

/**
 * `@CommandRequest() { context, ifMatch, reply }: CommandRequest` on a write route: the caller's
 * context, `If-Match` (documented in OpenAPI) and the reply, in one parameter.
 */
export function CommandRequest(): ParameterDecorator {
  return (target, propertyKey, index) => {
    commandRequestParameter()(target, propertyKey, index);
    documentIfMatch(target, propertyKey);
    // The parameter's type shares this function's name: keep Swagger from reading the function as a class.
    eraseReflectedType(target, propertyKey, index);
  };
}
