import type { Refusal } from './send-hostile-requests';
import { pathText, placesOf, withMemberRenamed, withValueAt } from './json-places';
import { acceptedRequest, PATH_PLACEHOLDER, type RouteRequest, type WriteRoute } from './write-route';

/** A request holding text no database can store, with where the refusal must say it is. */
export interface UnstorableTextRequest extends RouteRequest {
  readonly mutation: string;
  /** The path the problem's `errors` must name: `lines.0.model`, `(root)` for a CSV body, `id` for a path id. */
  readonly errorPath: string;
}

const UNSTORABLE = [
  ['NUL', '\u0000', '\\u0000'],
  ['an unpaired high surrogate', '\ud800', '\\ud800'],
  ['an unpaired low surrogate', '\udfff', '\\udfff'],
] as const;

/**
 * For every string of the route's accepted request (each JSON value and member name, or each CSV
 * line): the request with NUL in it, and with each kind of unpaired surrogate (JSON only: UTF-8,
 * as CSV and URLs travel, cannot carry one). Then NUL in the query string and after each path id.
 */
export function unstorableTextRequests(route: WriteRoute): UnstorableTextRequest[] {
  const accepted = acceptedRequest(route);
  const requests: UnstorableTextRequest[] = [];
  const withBody = (text: string, mutation: string, errorPath: string) =>
    requests.push({ ...accepted, payload: Buffer.from(text, 'utf8'), mutation, errorPath });

  for (const [name, char, escaped] of UNSTORABLE) {
    if (route.csv !== undefined) {
      // Text bodies travel as UTF-8, where a lone surrogate cannot be written (it becomes U+FFFD).
      if (char !== '\u0000') continue;
      const lines = route.csv.split('\n');
      lines.forEach((line, index) => {
        if (line.length === 0) return;
        const changed = lines.map((other, at) => (at === index ? `${line}${char}` : other));
        withBody(changed.join('\n'), `${name} at the end of CSV line ${index + 1}`, '(root)');
      });
      continue;
    }
    const document = route.body;
    if (document === undefined) continue;
    for (const { path, value } of placesOf(document)) {
      if (typeof value === 'string') {
        const changed = withValueAt(document, path, `${value}${char}`);
        withBody(JSON.stringify(changed), `${name} in ${pathText(path)}`, pathText(path));
      } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const member of Object.keys(value)) {
          const changed = withMemberRenamed(document, path, member, `${member}${char}`);
          withBody(
            JSON.stringify(changed),
            `${name} in the member name ${member}`,
            pathText([...path, `${member}${escaped}`]),
          );
        }
      }
    }
  }

  requests.push({ ...accepted, query: '?note=a%00', mutation: 'NUL in the query string', errorPath: 'note' });
  for (const [placeholder, parameter] of route.path.matchAll(PATH_PLACEHOLDER))
    requests.push({
      ...accepted,
      path: route.path.replace(placeholder, `${placeholder}%00`),
      mutation: `NUL after the path id ${parameter}`,
      errorPath: parameter,
    });
  return requests;
}

/** What is wrong with a store's refusal of an `UnstorableTextRequest`, if anything: it must be a 400 naming the place. */
export function unstorableTextRefusalFault(refusal: Refusal, request: RouteRequest): string | undefined {
  const { errorPath } = request as UnstorableTextRequest;
  if (refusal.status === 400 && refusal.code === 'validation-failed' && refusal.paths[0] === errorPath)
    return undefined;
  return `expected a 400 validation-failed naming ${errorPath}, got ${JSON.stringify(refusal)}`;
}
