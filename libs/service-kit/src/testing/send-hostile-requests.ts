import { urlOf, type RouteRequest } from './write-route';

/** What a store under test answered. */
export interface StoreAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

/** The service on one database, as a hostile-input test drives it (through `app.inject`). */
export interface StoreUnderTest {
  /** `sqlite`, `postgres`: names the store in what goes wrong. */
  readonly name: string;
  /** The ids of this store's fixtures, by the names route paths use (`{orderId}`). */
  readonly ids: Readonly<Record<string, string>>;
  /** Sends the request with a key of a role the route admits, unless the request has its own `authorization`. */
  send(request: {
    readonly method: RouteRequest['method'] | 'GET';
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly payload: Buffer | undefined;
  }): Promise<StoreAnswer>;
  /** How many things the store holds that a request could have written (its events). */
  storedCount(): Promise<number>;
}

/** A store's answer from the status, headers and text of an HTTP response. */
export function storeAnswer(
  status: number,
  headers: Readonly<Record<string, unknown>>,
  text: string,
): StoreAnswer {
  const type = headers['content-type'];
  return { status, contentType: typeof type === 'string' ? type : undefined, text };
}

/** How a store refused a request, as far as it should not differ between stores. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  /** The paths of `errors`, for invalid input. */
  readonly paths: readonly string[];
}

export interface HostileRun {
  /** Everything that went wrong, each naming the request (its `mutation`) and the store. */
  readonly faults: readonly string[];
  /** How many requests were answered with each status, over every store. */
  readonly statuses: Readonly<Record<number, number>>;
}

const PROBLEM_JSON = /^application\/problem\+json/;
const MAX_FAULTS = 30;

/**
 * Sends every request to every store, one at a time. A store must refuse each with a 4xx
 * problem+json, store nothing (its count unchanged) and refuse it as every other store does (same
 * status, code and error paths); `expected`, when given, checks the refusal further. Returns
 * the faults rather than throwing at the first, so that one run shows them all.
 */
export async function sendHostileRequests(
  requests: readonly (RouteRequest & { readonly mutation: string })[],
  stores: readonly StoreUnderTest[],
  expected?: (refusal: Refusal, request: RouteRequest & { readonly mutation: string }) => string | undefined,
): Promise<HostileRun> {
  const faults: string[] = [];
  const statuses: Record<number, number> = {};
  for (const request of requests) {
    const refusals = new Map<string, string>();
    for (const store of stores) {
      const before = await store.storedCount();
      const answer = await store.send({
        method: request.method,
        url: urlOf(request, store.ids),
        headers: request.headers,
        payload: request.payload,
      });
      const stored = (await store.storedCount()) - before;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const refusal = refusalOf(answer);
      const fault =
        (stored !== 0 ? `stored ${stored}, answered ${answer.status}` : undefined) ??
        (typeof refusal === 'string' ? refusal : expected?.(refusal, request));
      if (fault)
        faults.push(`${store.name}: ${request.method} ${request.path}, ${request.mutation}: ${fault}`);
      if (typeof refusal !== 'string') refusals.set(store.name, JSON.stringify(refusal));
    }
    if (new Set(refusals.values()).size > 1)
      faults.push(
        `${nameOf(request)}: stores answer differently: ${[...refusals]
          .map(([name, refusal]) => `${name} ${refusal}`)
          .join('; ')}`,
      );
    if (faults.length >= MAX_FAULTS) break;
  }
  return { faults, statuses };
}

/** The request as a fault names it: a path of thousands of characters shortened. */
function nameOf(request: RouteRequest & { readonly mutation: string }): string {
  const path = request.path.length > 100 ? `${request.path.slice(0, 100)}…` : request.path;
  return `${request.method} ${path}, ${request.mutation}`;
}

/** The refusal in a 4xx problem+json answer, or what is wrong with the answer. */
function refusalOf(answer: StoreAnswer): Refusal | string {
  const summary = `${answer.status} ${answer.text.slice(0, 200)}`;
  if (answer.status < 400 || answer.status >= 500) return `answered ${summary}`;
  if (!PROBLEM_JSON.test(answer.contentType ?? '')) return `answered ${answer.contentType} (${summary})`;
  let problem: { status?: unknown; code?: unknown; errors?: unknown };
  try {
    problem = JSON.parse(answer.text) as typeof problem;
  } catch {
    return `answered a problem that is not JSON (${summary})`;
  }
  if (problem.status !== answer.status || typeof problem.code !== 'string')
    return `answered a problem without its status and code (${summary})`;
  const errors = Array.isArray(problem.errors) ? (problem.errors as { path?: unknown }[]) : [];
  return { status: answer.status, code: problem.code, paths: errors.map((error) => String(error.path)) };
}
