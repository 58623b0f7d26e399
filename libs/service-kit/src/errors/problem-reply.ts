import type { FastifyReply, FastifyRequest } from 'fastify';
import { CORRELATION_ID_HEADER, correlationIdOf } from '../http/correlation-id';
import { PROBLEM_CONTENT_TYPE } from './problem';
import type { MappedProblem } from './problem-mapping';

/**
 * Answers the request with the problem: its status and headers, `application/problem+json`, the
 * request's path as `instance` and its correlation id. Nothing, if an answer has gone out already.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  { problem, headers }: MappedProblem,
): void {
  if (reply.sent || reply.raw.headersSent) return;
  const correlationId = correlationIdOf(request.raw);
  reply
    .status(problem.status)
    .headers(headers)
    .header(CORRELATION_ID_HEADER, correlationId)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send({ ...problem, instance: request.url, correlationId });
}
