import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { ProblemException } from '../errors/problem';
import { decodeUtf8Body } from './utf8-body';

/**
 * How deeply arrays and objects may nest in a JSON request body. Fleet's bodies nest a handful of
 * levels; the limit is there because everything that walks a parsed body recursively
 * (`JSON.stringify`, the idempotency fingerprint, validation) overflows the stack on a body of a few
 * hundred thousand `[`, which V8's own `JSON.parse` accepts.
 */
export const MAX_JSON_BODY_DEPTH = 64;

/**
 * How many values a JSON request body may hold: its array elements and object members, plus one
 * for the body itself. The largest body Fleet takes (a receipt of 20,000 units and 20,000 damaged
 * ones) holds under 200,000. The limit bounds what parsing costs: V8 spends about 100 bytes on
 * each empty object, so the 5.6 million `{}` that fit in 16 MiB would take over 500 MB.
 */
export const MAX_JSON_BODY_VALUES = 500_000;

export interface JsonBodyLimits {
  readonly maxDepth: number;
  readonly maxValues: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * Which limit the JSON text breaks, if any, found by one pass over the bytes before anything
 * parses them: `too-deep` when arrays and objects nest deeper than `maxDepth`, `too-many-values`
 * when it holds more than `maxValues` values. Brackets and commas inside strings do not count;
 * malformed JSON is left for the parser to refuse. UTF-8 continuation bytes are all ≥ 0x80, so no
 * multi-byte character is mistaken for a bracket, comma or quote.
 */
export function jsonBreaksLimit(
  text: Uint8Array,
  limits: JsonBodyLimits,
): 'too-deep' | 'too-many-values' | undefined {
  let depth = 0;
  let values = 1;
  let inString = false;
  // Just after `[` or `{`: the next significant byte either closes it (empty) or starts its first value.
  let awaitingFirst = false;
  for (let index = 0; index < text.length; index += 1) {
    const byte = text[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (awaitingFirst && !isJsonWhitespace(byte)) {
      awaitingFirst = false;
      if (byte !== CLOSE_BRACKET && byte !== CLOSE_BRACE) values += 1;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth += 1;
      if (depth > limits.maxDepth) return 'too-deep';
      awaitingFirst = true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth -= 1;
    else if (byte === COMMA) values += 1;
    if (values > limits.maxValues) return 'too-many-values';
  }
  return undefined;
}

/** Whether the JSON text nests arrays and objects deeper than `maxDepth`. */
export function jsonNestsDeeperThan(text: Uint8Array, maxDepth: number): boolean {
  return jsonBreaksLimit(text, { maxDepth, maxValues: Infinity }) === 'too-deep';
}

const LIMIT_PROBLEMS = {
  'too-deep': {
    status: 400,
    code: 'json-too-deep',
    detail: `the request body nests arrays and objects more than ${MAX_JSON_BODY_DEPTH} levels deep`,
  },
  'too-many-values': {
    status: 413,
    code: 'json-too-many-values',
    detail: `the request body holds more than ${MAX_JSON_BODY_VALUES} JSON values (array elements and object members): split it`,
  },
} as const;

/**
 * Fastify's own JSON parser (prototype-poisoning checks, empty-body and malformed-JSON errors kept),
 * behind a UTF-8 check and the nesting and value limits, each answered with a problem.
 */
export function limitedJsonParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const limits = { maxDepth: MAX_JSON_BODY_DEPTH, maxValues: MAX_JSON_BODY_VALUES };
  // What throws (a body that is not UTF-8) reaches `done` through Nest, which runs the parser.
  return (request, body, done) => {
    // The limits read the raw bytes: a body that breaks them is refused before it is decoded.
    const broken = jsonBreaksLimit(body, limits);
    if (broken !== undefined) {
      done(new ProblemException(LIMIT_PROBLEMS[broken]), undefined);
      return;
    }
    parseJson(request, decodeUtf8Body(body), done);
  };
}
