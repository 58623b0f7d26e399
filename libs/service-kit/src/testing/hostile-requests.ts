import {
  jsonTypeOf,
  jsonWithRawAt,
  pathMatches,
  pathText,
  placesOf,
  withMemberRenamed,
  withValueAt,
  type JsonPlace,
} from './json-places';
import { SeededRandom } from './seeded-random';
import {
  acceptedRequest,
  PATH_PLACEHOLDER,
  type JsonValue,
  type RouteRequest,
  type WriteRoute,
} from './write-route';

/** A request the route must refuse, with what was done to the one it accepts. */
export interface HostileRequest extends RouteRequest {
  readonly mutation: string;
}

/**
 * `count` requests to the route, each its accepted request broken in one way that no state of
 * the service can make valid: a value of another JSON type, text longer than any field takes,
 * numbers out of every range, nesting past the limit, control characters where a pattern rules,
 * NUL and unpaired surrogates anywhere, bytes that are not UTF-8, a wrong content type, garbage,
 * a bad path id, query string, Idempotency-Key or API key. The same seed gives the same requests.
 */
export function hostileRequests(route: WriteRoute, count: number, seed: number): HostileRequest[] {
  const random = new SeededRandom(seed);
  const mutations = mutationsFor(route);
  const requests: HostileRequest[] = [];
  while (requests.length < count) {
    const [name, mutate] = random.pick(mutations);
    const request = mutate(random);
    if (request) requests.push({ ...request, mutation: `${name}: ${request.mutation}` });
  }
  return requests;
}

/** A way to break a request: `undefined` where the route has nothing it applies to. */
type Mutation<Input> = readonly [
  name: string,
  mutate: (input: Input, random: SeededRandom) => HostileRequest | undefined,
];

type Mutate = (random: SeededRandom) => HostileRequest | undefined;

function mutationsFor(route: WriteRoute): (readonly [string, Mutate])[] {
  const on = <Input>(mutations: readonly Mutation<Input>[], input: Input) =>
    mutations.map(([name, mutate]) => [name, (random: SeededRandom) => mutate(input, random)] as const);
  const { body, csv } = route;
  const ofRequest = on(REQUEST_MUTATIONS, route);
  if (csv !== undefined)
    return [...on(CSV_MUTATIONS, { route, csv }), ...on(BODY_MUTATIONS, route), ...ofRequest];
  if (body !== undefined)
    return [...on(JSON_MUTATIONS, { route, body }), ...on(BODY_MUTATIONS, route), ...ofRequest];
  return [...on(BODILESS_MUTATIONS, route), ...ofRequest];
}

/** Longer than any text field of Fleet (500 characters at most); now and then past the 1 MiB limit. */
function hugeLength(random: SeededRandom): number {
  return random.int(0, 9) === 0 ? random.int(1024 * 1024 + 1, 2 * 1024 * 1024) : random.int(501, 70_000);
}

/** A character no text field may hold (NUL, unpaired surrogates), as JSON carries it. */
function unstorableChar(random: SeededRandom): string {
  return random.pick([
    '\u0000',
    String.fromCharCode(random.int(0xd800, 0xdbff)),
    String.fromCharCode(random.int(0xdc00, 0xdfff)),
    '\udc00\ud800',
  ]);
}

/** Control characters a pattern-ruled field cannot hold; line ends left out, which CSV reads as structure. */
const CONTROL_CHARACTERS = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter(
    (char) => char !== '\n' && char !== '\r',
  ),
  '\u007f',
  '\u0085',
  '\u2028',
  '\u200b',
];

/** Byte sequences that are not UTF-8: stray and truncated sequences, overlong forms, surrogates, > U+10FFFF. */
const BROKEN_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function insertAt(text: string, random: SeededRandom, inserted: string): string {
  const at = random.int(0, text.length);
  return `${text.slice(0, at)}${inserted}${text.slice(at)}`;
}

/** The route's accepted request with another body (same content type). */
function withPayload(
  route: WriteRoute,
  payload: JsonValue | Buffer | string,
  mutation: string,
): HostileRequest {
  const bytes = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  return { ...acceptedRequest(route), payload: bytes, mutation };
}

interface JsonInput {
  readonly route: WriteRoute;
  readonly body: JsonValue;
}

function placesWhere(body: JsonValue, keep: (place: JsonPlace) => boolean): JsonPlace[] {
  return placesOf(body).filter(keep);
}

const isString = (place: JsonPlace) => typeof place.value === 'string';

/** A value of each JSON type; a Fleet field takes values of one type only. */
const OF_EVERY_TYPE: readonly JsonValue[] = [
  0,
  -1,
  3.5,
  '',
  'text',
  true,
  false,
  null,
  [],
  [1],
  {},
  { value: 'x' },
];

const JSON_MUTATIONS: readonly Mutation<JsonInput>[] = [
  [
    'another JSON type',
    ({ route, body }, random) => {
      const place = random.pick(placesOf(body));
      const replacement = random.pick(
        OF_EVERY_TYPE.filter((value) => jsonTypeOf(value) !== jsonTypeOf(place.value)),
      );
      const changed = withValueAt(body, place.path, replacement);
      return withPayload(route, changed, `${pathText(place.path)} = ${JSON.stringify(replacement)}`);
    },
  ],
  [
    'text too long',
    ({ route, body }, random) => {
      const place = random.pick(placesWhere(body, (candidate) => candidate.path.length > 0));
      const length = hugeLength(random);
      const changed = withValueAt(body, place.path, 'A'.repeat(length));
      return withPayload(route, changed, `${pathText(place.path)} = ${length} letters`);
    },
  ],
  [
    'a number out of every range',
    ({ route, body }, random) => {
      const places = placesWhere(body, (place) => typeof place.value === 'number');
      if (places.length === 0) return undefined;
      const place = random.pick(places);
      // Zero and fractions are in range where a field takes a measure (kW), not a count.
      const measure = pathMatches(place.path, route.measures ?? []);
      const raw = random.pick([
        '1e400',
        '-1e400',
        '1e21',
        '9007199254740993',
        '-1',
        '-0.0001',
        ...(measure ? [] : ['0', '1.5', '1E+7']),
      ]);
      const changed = jsonWithRawAt(body, place.path, Buffer.from(raw));
      return withPayload(route, changed, `${pathText(place.path)} = ${raw}`);
    },
  ],
  [
    'a list longer than any list takes',
    ({ route, body }, random) => {
      const places = placesWhere(body, (place) => Array.isArray(place.value));
      if (places.length === 0) return undefined;
      const place = random.pick(places);
      const items = place.value as readonly JsonValue[];
      const long = Array.from({ length: 20_001 }, () => items[0] ?? 0);
      return withPayload(route, withValueAt(body, place.path, long), `${pathText(place.path)} × 20,001`);
    },
  ],
  [
    'nested arrays',
    ({ route, body }, random) => {
      const place = random.pick(placesOf(body));
      // Past the parser's limit of 64, or within it where a value of another type stands (two
      // levels at least: an empty list may be valid).
      const depth = random.int(0, 1) === 0 ? random.int(65, 5000) : random.int(2, 60);
      const changed = jsonWithRawAt(
        body,
        place.path,
        Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`),
      );
      return withPayload(route, changed, `${pathText(place.path)} = ${depth} levels`);
    },
  ],
  [
    'a control character in a field with a pattern',
    ({ route, body }, random) => {
      const places = placesWhere(
        body,
        (place) => isString(place) && !pathMatches(place.path, route.freeText ?? []),
      );
      if (places.length === 0) return undefined;
      const place = random.pick(places);
      const char = random.pick(CONTROL_CHARACTERS);
      const changed = withValueAt(body, place.path, insertAt(place.value as string, random, char));
      return withPayload(route, changed, `${pathText(place.path)} holds ${codePointName(char)}`);
    },
  ],
  [
    'unstorable text in a value',
    ({ route, body }, random) => {
      const strings = placesWhere(body, isString);
      // A body of numbers and booleans only (`{ "budgetKw": 60 }`) has no text to break.
      if (strings.length === 0) return undefined;
      const place = random.pick(strings);
      const char = unstorableChar(random);
      const changed = withValueAt(body, place.path, insertAt(place.value as string, random, char));
      return withPayload(route, changed, `${pathText(place.path)} holds ${codePointName(char)}`);
    },
  ],
  [
    'unstorable text in a member name',
    ({ route, body }, random) => {
      const objects = placesWhere(
        body,
        ({ value }) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length > 0,
      );
      if (objects.length === 0) return undefined;
      const place = random.pick(objects);
      const name = random.pick(Object.keys(place.value as object));
      const changed = withMemberRenamed(
        body,
        place.path,
        name,
        insertAt(name, random, unstorableChar(random)),
      );
      return withPayload(route, changed, `member ${name} of ${pathText(place.path)}`);
    },
  ],
  [
    'bytes that are not UTF-8 in a string',
    ({ route, body }, random) => {
      const strings = placesWhere(body, isString);
      if (strings.length === 0) return undefined;
      const place = random.pick(strings);
      const text = place.value as string;
      const at = random.int(0, text.length);
      const broken = Buffer.from(random.pick(BROKEN_UTF8));
      // The string's JSON with the bytes spliced in between its quotes.
      const raw = Buffer.concat([
        Buffer.from(JSON.stringify(text.slice(0, at)).slice(0, -1)),
        broken,
        Buffer.from(JSON.stringify(text.slice(at)).slice(1)),
      ]);
      return withPayload(
        route,
        jsonWithRawAt(body, place.path, raw),
        `${pathText(place.path)} holds ${broken.toString('hex')}`,
      );
    },
  ],
  [
    'cut short',
    ({ route, body }, random) => {
      // No proper prefix of a JSON object is JSON.
      const text = JSON.stringify(body);
      const at = random.int(0, text.length - 1);
      return withPayload(route, text.slice(0, at), `after ${at} of ${text.length} characters`);
    },
  ],
  [
    'its fields as a form',
    ({ route, body }) => {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
      const form = new URLSearchParams(
        Object.entries(body).map(([name, value]): [string, string] => [
          name,
          typeof value === 'string' ? value : JSON.stringify(value),
        ]),
      ).toString();
      return {
        ...withPayload(route, form, form.slice(0, 80)),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    },
  ],
  [
    'a prototype-poisoning member',
    ({ route, body }, random) => {
      const text = JSON.stringify(body);
      if (!text.startsWith('{')) return undefined;
      const member = random.pick([
        '"__proto__":{"isAdmin":true}',
        '"constructor":{"prototype":{"isAdmin":true}}',
      ]);
      return withPayload(route, `{${member}${text === '{}' ? '' : ','}${text.slice(1)}`, member);
    },
  ],
];

/** JSON texts that are no object, or no JSON at all. */
const NOT_JSON_OBJECTS = [
  'null',
  '42',
  '"text"',
  'true',
  '[]',
  '[{}]',
  '',
  ' ',
  '{',
  '}',
  '{"a":}',
  "{'a':1}",
  'NaN',
];

/** Content types no Fleet route reads a body of. */
const FOREIGN_CONTENT_TYPES = [
  'application/xml',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fleet',
  'application/octet-stream',
  'application/json-patch+json',
  'image/png',
];

/** Bodies no route that takes JSON or CSV reads as a valid one. */
const BODY_MUTATIONS: readonly Mutation<WriteRoute>[] = [
  [
    'not a JSON object',
    (route, random) => {
      const raw = random.pick(NOT_JSON_OBJECTS);
      return {
        ...withPayload(route, raw, JSON.stringify(raw)),
        headers: { 'content-type': 'application/json' },
      };
    },
  ],
  [
    'random bytes',
    (route, random) => {
      const bytes = Buffer.from(Array.from({ length: random.int(1, 2000) }, () => random.int(0, 255)));
      return withPayload(route, bytes, `${bytes.length} bytes`);
    },
  ],
  [
    'a content type the route does not take',
    (route, random) => {
      const type = random.pick([
        ...FOREIGN_CONTENT_TYPES,
        'text/plain',
        'none',
        route.csv === undefined ? 'text/csv' : 'application/json',
      ]);
      const accepted = acceptedRequest(route);
      const headers: Readonly<Record<string, string>> = type === 'none' ? {} : { 'content-type': type };
      return { ...accepted, headers, mutation: type };
    },
  ],
];

/** A route without a body reads none, but the service refuses a body it cannot parse or store. */
const BODILESS_MUTATIONS: readonly Mutation<WriteRoute>[] = [
  [
    'a body that cannot be read',
    (route, random) => {
      const raw = random.pick([
        Buffer.from('{"note":'),
        Buffer.from('{"note":"a\\u0000b"}'),
        Buffer.from('{"\\ud800":1}'),
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
        Buffer.from(`${'['.repeat(100)}${']'.repeat(100)}`),
      ]);
      return {
        ...withPayload(route, raw, raw.toString('latin1').slice(0, 40)),
        headers: { 'content-type': 'application/json' },
      };
    },
  ],
  [
    'a content type no route takes',
    (route, random) => {
      const type = random.pick(FOREIGN_CONTENT_TYPES);
      return { ...withPayload(route, '<rig/>', type), headers: { 'content-type': type } };
    },
  ],
];

interface CsvInput {
  readonly route: WriteRoute;
  readonly csv: string;
}

/** The CSV's fields, header included, as [start, end] offsets, so that one can be changed in place. */
function csvFieldSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (let index = 0; index <= text.length; index += 1) {
    if (index === text.length || text[index] === ',' || text[index] === '\n') {
      if (index > start) spans.push([start, index]);
      start = index + 1;
    }
  }
  return spans;
}

/** The CSV with one of its fields changed, and the field as it was. */
function withCsvField(csv: string, random: SeededRandom, change: (field: string) => string) {
  const [start, end] = random.pick(csvFieldSpans(csv));
  const field = csv.slice(start, end);
  return { text: `${csv.slice(0, start)}${change(field)}${csv.slice(end)}`, field: JSON.stringify(field) };
}

const CSV_MUTATIONS: readonly Mutation<CsvInput>[] = [
  [
    'a control character in a field',
    ({ route, csv }, random) => {
      const char = random.pick(CONTROL_CHARACTERS);
      const { text, field } = withCsvField(csv, random, (value) => insertAt(value, random, char));
      return withPayload(route, text, `${field} holds ${codePointName(char)}`);
    },
  ],
  [
    // Only NUL: UTF-8, as a CSV body travels, cannot carry an unpaired surrogate.
    'NUL in a field',
    ({ route, csv }, random) => {
      const { text, field } = withCsvField(csv, random, (value) => insertAt(value, random, '\u0000'));
      return withPayload(route, text, `${field} holds U+0000`);
    },
  ],
  [
    'a field too long',
    ({ route, csv }, random) => {
      const length = hugeLength(random);
      const { text, field } = withCsvField(csv, random, () => 'A'.repeat(length));
      return withPayload(route, text, `${field} = ${length} letters`);
    },
  ],
  [
    'bytes that are not UTF-8',
    ({ route, csv }, random) => {
      const at = random.int(0, csv.length);
      const broken = Buffer.from(random.pick(BROKEN_UTF8));
      const bytes = Buffer.concat([Buffer.from(csv.slice(0, at)), broken, Buffer.from(csv.slice(at))]);
      return withPayload(route, bytes, `bytes ${broken.toString('hex')} at ${at}`);
    },
  ],
  [
    'a broken quote',
    ({ route, csv }, random) => {
      const { text, field } = withCsvField(csv, random, (value) =>
        random.pick([`"${value}`, `${value}"`, `"${value}"x`, `a"${value}`]),
      );
      return withPayload(route, text, `around ${field}`);
    },
  ],
  [
    'more rows than a request may hold',
    ({ route, csv }) => withPayload(route, `${csv.split('\n')[0]}\n${'a\n'.repeat(20_001)}`, '20,001 rows'),
  ],
  [
    'no rows',
    ({ route, csv }, random) => {
      const header = csv.split('\n')[0];
      const text = random.pick(['', '\n', ',,\n', `${header}\n`, `${header}\n,,\n`]);
      return withPayload(route, text, JSON.stringify(text));
    },
  ],
];

const REQUEST_MUTATIONS: readonly Mutation<WriteRoute>[] = [
  [
    'a path id that cannot be one',
    (route, random) => {
      const placeholder = new RegExp(PATH_PLACEHOLDER.source).exec(route.path);
      if (!placeholder) return undefined;
      // Not one of these is an id of any kind: neither a uuid, nor a facility or rack name (which a
      // PUT may create), so every route must refuse each.
      const id = random.pick([
        'NOT.A.UUID',
        '%00',
        'a%00b',
        '%ED%A0%80',
        '%FF',
        '..',
        '%2e%2e',
        'x'.repeat(random.int(65, 5000)),
        '00000000-0000-4000-8000-00000000000g',
        "1'%20OR%20'1'='1",
        '%F0%9F%98%80',
      ]);
      return {
        ...acceptedRequest(route),
        path: route.path.replace(placeholder[0], id),
        mutation: id.slice(0, 80),
      };
    },
  ],
  [
    'unstorable text in the query string',
    (route, random) => {
      const query = random.pick(['?note=%00', '?%00=1', '?a=ok&b=x%00y', '?note=%F0%9F%98%80%00']);
      return { ...acceptedRequest(route), query, mutation: query };
    },
  ],
  [
    'a malformed Idempotency-Key',
    (route, random) => {
      // Only a POST takes an Idempotency-Key; a PUT is idempotent by itself and ignores the header.
      if (route.method !== 'POST') return undefined;
      const key = random.pick(['', ' ', 'has a space', 'x'.repeat(256), '\t']);
      const accepted = acceptedRequest(route);
      return {
        ...accepted,
        headers: { ...accepted.headers, 'idempotency-key': key },
        mutation: JSON.stringify(key.slice(0, 20)),
      };
    },
  ],
  [
    'no valid API key',
    (route, random) => {
      const authorization = random.pick([
        '',
        'Bearer',
        'Bearer not-a-key-of-this-service',
        'Basic YWRtaW46YWRtaW4=',
        'bearer  ',
        'Token x',
      ]);
      const accepted = acceptedRequest(route);
      return {
        ...accepted,
        headers: { ...accepted.headers, authorization },
        mutation: JSON.stringify(authorization),
      };
    },
  ],
];
