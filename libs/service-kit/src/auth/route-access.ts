import type { Reflector } from '@nestjs/core';
import type { Role } from './role';
import { PUBLIC_METADATA, ROLES_METADATA } from './roles.decorator';

/** Who may call a route: anyone (`@Public`), or holders of a key of one of `roles` (or `admin`). */
export type RouteAccess =
  { readonly public: true } | { readonly public: false; readonly roles: readonly Role[] };

/** A route handler or its controller class, as Nest's `Reflector` reads them. */
type MetadataTarget = Parameters<Reflector['get']>[1];

/**
 * The access a route declares, the handler's decorators overriding its controller's. A route with
 * neither `@Roles` nor `@Public` admits `admin` only.
 */
export function routeAccessOf(
  reflector: Reflector,
  handler: MetadataTarget,
  controller: MetadataTarget,
): RouteAccess {
  const targets = [handler, controller];
  if (reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets)) return { public: true };
  const roles = reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_METADATA, targets);
  return { public: false, roles: roles ?? [] };
}
