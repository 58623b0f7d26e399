import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import { recordHttpError } from '../tracing/http-tracing';
import { toProblem } from './problem-mapping';
import { sendProblem } from './problem-reply';

/**
 * Every error of an HTTP request, including Fastify's own (body too large, malformed JSON) and
 * unknown routes, as `application/problem+json`. Unexpected errors are logged with their stack and
 * answered with a 500 that reveals nothing about them.
 */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Event handlers (the JetStream transport) need the error itself, to nak or dead-letter.
    if (host.getType() !== 'http') return throwError(() => exception);

    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // The route's own limit: bulk routes take more than the others.
    const mapped = toProblem(exception, { bodyLimitBytes: request.routeOptions.bodyLimit });
    if (mapped.unexpected) {
      this.logger.error(exception, `unexpected error answered with ${mapped.problem.status}`);
      recordHttpError(request, exception);
    }
    sendProblem(request, reply, mapped);
  }
}
