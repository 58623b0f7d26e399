import { isUtf8 } from 'node:buffer';
import { ProblemException } from '../errors/problem';

/**
 * A text body (JSON, CSV) as a string, refusing bytes that are not UTF-8. Decoding them anyway
 * would turn each into U+FFFD, storing something other than what the client sent without telling
 * it.
 */
export function decodeUtf8Body(body: Buffer): string {
  if (!isUtf8(body))
    throw new ProblemException({
      status: 400,
      code: 'invalid-utf8',
      detail: 'the request body is not valid UTF-8',
    });
  return body.toString('utf8');
}
