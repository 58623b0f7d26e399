import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { ProblemException } from '../errors/problem';

/**
 * How deeply arrays and objects may nest in a JSON request body. Fleet's bodies nest a handful of
 * levels; the limit is there because everything that walks a parsed body recursively
 * (`JSON.stringify`, the idempotency fingerprint, validation) overflows the stack on a body of a few
 * hundred thousand `[`, which V8's own `JSON.parse` accepts.
 */
export const MAX_JSON_BODY_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether the JSON text nests arrays and objects deeper than `maxDepth`, found by one pass over the
 * bytes before anything parses them. Brackets inside strings do not count; malformed JSON is left
 * for the parser to refuse. UTF-8 continuation bytes are all ≥ 0x80, so no multi-byte character is
 * mistaken for a bracket or quote.
 */
export function jsonNestsDeeperThan(text: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const byte = text[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth -= 1;
  }
  return false;
}

/**
 * Fastify's own JSON parser (prototype-poisoning checks, empty-body and malformed-JSON errors kept),
 * behind a nesting limit answered with a 400 problem.
 */
export function depthLimitedJsonParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (jsonNestsDeeperThan(body, MAX_JSON_BODY_DEPTH)) {
      done(
        new ProblemException({
          status: 400,
          code: 'json-too-deep',
          detail: `the request body nests arrays and objects more than ${MAX_JSON_BODY_DEPTH} levels deep`,
        }),
        undefined,
      );
      return;
    }
    parseJson(request, body.toString('utf8'), done);
  };
}
