import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import { routeAccessOf, type RouteAccess } from '../auth/route-access';
import { LARGE_BODY_METADATA } from './body-limits';
import { routeHandlersOf } from './route-handlers';

/** What Fastify must know of a route before it reads a request's body. */
export interface RoutePolicy {
  /** Who may call it: checked in `onRequest`, so that no caller without a key gets a body read. */
  readonly access: RouteAccess;
  /** Takes bodies up to `BODY_LIMIT_BYTES` rather than the ordinary limit. */
  readonly largeBody: boolean;
}

/** The key of the policy in a Fastify route's `config`. */
const ROUTE_POLICY = 'fleetRoutePolicy';

/** The policy of a Fastify route (`routeOptions.config`), or undefined for a route Nest's controllers do not declare (the docs UI, unknown URLs). */
export function routePolicyOf(routeConfig: unknown): RoutePolicy | undefined {
  if (typeof routeConfig !== 'object' || routeConfig === null || !(ROUTE_POLICY in routeConfig))
    return undefined;
  return (routeConfig as Record<typeof ROUTE_POLICY, RoutePolicy>)[ROUTE_POLICY];
}

/**
 * Guards and decorators are Nest's, and Nest runs them only once Fastify has read and parsed the
 * body. So before Nest registers its routes with Fastify, each controller method's policy (its own
 * and its class's decorators, read as `ApiKeyGuard` reads them) is added to the Fastify route
 * config Nest passes along (the metadata of `@RouteConfig`), where Fastify's hooks find it.
 * Call after the app is created and before `init()`.
 */
export function declareRoutePolicies(app: INestApplication): void {
  const reflector = app.get(Reflector);
  for (const { controller, handler } of routeHandlersOf(app)) {
    const policy: RoutePolicy = {
      access: routeAccessOf(reflector, handler, controller),
      largeBody:
        reflector.getAllAndOverride<boolean | undefined>(LARGE_BODY_METADATA, [handler, controller]) === true,
    };
    const routeConfig: unknown = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler);
    Reflect.defineMetadata(
      FASTIFY_ROUTE_CONFIG_METADATA,
      { ...(typeof routeConfig === 'object' ? routeConfig : {}), [ROUTE_POLICY]: policy },
      handler,
    );
  }
}
