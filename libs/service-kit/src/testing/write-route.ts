/** A JSON value as a request body holds it. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A write route as hostile-input tests see it: where it is, and one request it accepts. */
export interface WriteRoute {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * The path, `{parameter:fixture}` standing for the route parameter `parameter`, which each store
   * under test fills with its id named `fixture`: `/orders/{id:orderId}/cancel`.
   */
  readonly path: string;
  /** A JSON body the route accepts. Neither this nor `csv`: the route takes no body. */
  readonly body?: JsonValue;
  /** A `text/csv` body the route accepts, instead of JSON. */
  readonly csv?: string;
  /**
   * The fields that take any text (`vendor`, `damaged.*.reason`, `*` for any array index). Every
   * other string has a pattern or a list of values, so a control character makes it invalid.
   */
  readonly freeText?: readonly string[];
  /**
   * The numbers that are measures rather than counts (`budgetKw`, `schedule.*.capacityKw`): zero,
   * fractions and ten million may be valid there, so only negative and astronomic ones break them.
   */
  readonly measures?: readonly string[];
}

/** One request to send, before the store under test fills in the ids of its path. */
export interface RouteRequest {
  readonly method: WriteRoute['method'];
  /** With `{parameter:fixture}` placeholders; `query` is appended as it is. */
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: Buffer | undefined;
}

/** The route's own request: its body, if it takes one, as it should be sent. */
export function acceptedRequest(route: WriteRoute): RouteRequest {
  const request = { method: route.method, path: route.path, query: '' };
  if (route.csv !== undefined)
    return { ...request, headers: { 'content-type': 'text/csv' }, payload: Buffer.from(route.csv, 'utf8') };
  if (route.body !== undefined)
    return {
      ...request,
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from(JSON.stringify(route.body), 'utf8'),
    };
  return { ...request, headers: {}, payload: undefined };
}

/** `{parameter:fixture}` in a route path. */
export const PATH_PLACEHOLDER = /\{(\w+):(\w+)\}/g;

/** The URL of a request for a store: each placeholder replaced by the store's id of that fixture. */
export function urlOf(request: RouteRequest, ids: Readonly<Record<string, string>>): string {
  const path = request.path.replace(PATH_PLACEHOLDER, (_placeholder, _parameter: string, fixture: string) => {
    const id = ids[fixture];
    if (id === undefined) throw new Error(`no id named ${fixture} for ${request.path}`);
    return id;
  });
  return `${path}${request.query}`;
}
