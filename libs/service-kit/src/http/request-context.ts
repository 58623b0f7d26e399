import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ANONYMOUS_ACTOR, principalOf } from '../auth/principal';
import { correlationIdOf } from './correlation-id';

/** What a command needs to know about the request that caused it. */
export interface RequestContext {
  readonly correlationId: string;
  /** `<role>:<keyId>` of the caller, `anonymous` on a public route. */
  readonly actor: string;
}

export function requestContextOf(request: FastifyRequest): RequestContext {
  return {
    correlationId: correlationIdOf(request.raw),
    actor: principalOf(request)?.actor ?? ANONYMOUS_ACTOR,
  };
}

/** `@RequestContext() ctx: RequestContext` in a route handler. */
export const RequestContext = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestContext =>
    requestContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
