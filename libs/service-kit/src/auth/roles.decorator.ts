import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './role';

export const ROLES_METADATA = 'fleet:roles';
export const PUBLIC_METADATA = 'fleet:public';
export const BEARER_SCHEME = 'bearer';

/**
 * The roles a route (or every route of a controller) admits; `admin` is always admitted. A route
 * with neither `@Roles` nor `@Public` admits `admin` only.
 */
export function Roles(...roles: readonly Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_METADATA, roles),
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension('x-fleet-roles', ['admin', ...roles.filter((role) => role !== 'admin')]),
    ApiUnauthorizedResponse({ description: 'No API key, or an unknown one (problem+json)' }),
    ApiForbiddenResponse({ description: "The key's role is not admitted here (problem+json)" }),
  );
}

/** Open without an API key. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_METADATA, true);
}
