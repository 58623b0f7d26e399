import type { preValidationHookHandler } from 'fastify';
import { ProblemException } from '../errors/problem';
import { invalidInputProblem } from '../errors/problem-mapping';
import { unstorableTextIn } from './storable-text';

/**
 * Refuses, for every route at once, a request whose path, query string or body (JSON or text)
 * holds text the database cannot store: a 400 naming each place, before any handler runs, so
 * SQLite and PostgreSQL answer alike and nothing is written.
 */
export const refuseUnstorableText: preValidationHookHandler = (request, _reply, done) => {
  const parts: readonly [unknown, string][] = [
    [request.params, 'the path'],
    [request.query, 'the query string'],
    [request.body, 'the request body'],
  ];
  for (const [part, where] of parts) {
    const issues = unstorableTextIn(part);
    if (issues.length > 0) {
      done(new ProblemException(invalidInputProblem(issues, where)));
      return;
    }
  }
  done();
};
