import type { WriteRoute } from './write-route';

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'];

/**
 * The write operations of an OpenAPI document (`GET /docs-json`) that `routes` do not list, and
 * the routes it does not have, as `POST /orders/{id}/cancel`: a test of every write route fails
 * when a route is added without it.
 */
export function writeRoutesNotMatching(
  document: { readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>> },
  routes: readonly WriteRoute[],
): { readonly unlisted: string[]; readonly unknown: string[] } {
  const documented = new Set(
    Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => WRITE_METHODS.includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  const listed = new Set(
    routes.map((route) => `${route.method} ${route.path.replace(/\{(\w+):\w+\}/g, '{$1}')}`),
  );
  return {
    unlisted: [...documented].filter((operation) => !listed.has(operation)),
    unknown: [...listed].filter((operation) => !documented.has(operation)),
  };
}
