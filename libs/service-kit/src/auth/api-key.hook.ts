import type { onRequestHookHandler } from 'fastify';
import { routePolicyOf } from '../http/route-policy';
import type { ApiKeyAuthorizer } from './api-key.authorizer';

/**
 * Checks the API key in Fastify's `onRequest`, before the body is read: a caller without a key
 * (or with a role the route does not admit) is answered 401 (403) without the service reading,
 * let alone parsing, what it sent. Routes no controller declares (the docs UI, unknown URLs) pass.
 */
export function apiKeyHook(authorizer: ApiKeyAuthorizer): onRequestHookHandler {
  return (request, _reply, done) => {
    const policy = routePolicyOf(request.routeOptions.config);
    if (policy === undefined) {
      done();
      return;
    }
    try {
      authorizer.authorize(request, policy.access);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}
