import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem-mapping';
import { sendProblem } from './problem-reply';

/**
 * Fastify's `frameworkErrors`: its router refuses a URL it cannot route (a path that is not UTF-8
 * once percent-decoded: 400; a path parameter past its length limit: 414) before any hook runs or
 * Nest sees the request, so those answers are made problem+json here.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendProblem(request, reply, toProblem(error));
}
