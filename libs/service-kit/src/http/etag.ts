import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../errors/problem';
import { methodDecoratorOnParameter } from './method-decorator-on-parameter';

/** `"7"` or `W/"7"`: the version of the stream behind a resource. */
const VERSION_ETAG = /^(?:W\/)?"(\d{1,15})"$/;

/**
 * Parses `If-Match` into the stream version the client last saw. Absent and `*` (any current
 * version) give undefined; anything but a single version ETag is a 400 problem.
 */
export function parseIfMatch(header: string | readonly string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (typeof header === 'string' ? header : header.join(',')).trim();
  if (value === '*') return undefined;
  const match = VERSION_ETAG.exec(value);
  if (!match) {
    throw new ProblemException({
      status: 400,
      code: 'invalid-if-match',
      detail: `If-Match must be one version ETag such as "7" (as sent in ETag), not ${JSON.stringify(value)}`,
    });
  }
  return Number(match[1]);
}

export function formatETag(version: number): string {
  return `"${version}"`;
}

/** Sets the resource's ETag to its stream version. */
export function setETag(reply: FastifyReply, version: number): void {
  reply.header('etag', formatETag(version));
}

const ifMatchParameter = createParamDecorator(
  (_data: unknown, context: ExecutionContext): number | undefined =>
    parseIfMatch(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);

/** The `If-Match` header in a route's OpenAPI operation. */
export function documentIfMatch(target: object, propertyKey: string | symbol | undefined): void {
  methodDecoratorOnParameter(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag (stream version) last read; the command is refused with 412 if it is stale',
    }),
    target,
    propertyKey,
  );
}

/** `@IfMatch() expected: number | undefined`: the `If-Match` version, documented in OpenAPI. */
export function IfMatch(): ParameterDecorator {
  return (target, propertyKey, index) => {
    ifMatchParameter()(target, propertyKey, index);
    documentIfMatch(target, propertyKey);
  };
}
