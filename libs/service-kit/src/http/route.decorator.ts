import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Roles } from '../auth/roles.decorator';
import type { Role } from '../auth/role';
import { toOpenApiSchema } from '../openapi/openapi-schema';
import { LARGE_BODY_METADATA } from './body-limits';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Error answers worth a line in the API document (401 and 403 come with `roles`). */
export type DocumentedError = 400 | 404 | 409 | 412 | 413 | 422;

export interface RouteOptions {
  readonly method: RouteMethod;
  /** Below the controller's path, e.g. `:id/install`. */
  readonly path?: string;
  /** Who may call it; `admin` always may. */
  readonly roles: readonly Role[];
  /** The OpenAPI tag the route is listed under. */
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** The success status. Default: 201 for POST, 200 otherwise. */
  readonly status?: 200 | 201 | 202 | 204;
  /** The schema of the success answer. */
  readonly response?: z.ZodType;
  readonly responseDescription?: string;
  /** The error answers this route gives, with what each means here. */
  readonly errors?: Partial<Record<DocumentedError, string>>;
  /**
   * Takes request bodies up to `BODY_LIMIT_BYTES` (default 16 MiB) instead of 1 MiB: for bulk
   * routes only (a shipment's receipt, a bulk install). The API key is still checked before the
   * body is read.
   */
  readonly largeBody?: boolean;
}

/**
 * Everything a Fleet route declares, in one decorator: method and path, success status, roles,
 * OpenAPI tag, summary, answer schema and error answers.
 */
export function Route(options: RouteOptions): MethodDecorator {
  const status = options.status ?? (options.method === 'POST' ? 201 : 200);
  return applyDecorators(
    RequestMapping({ path: options.path ?? '/', method: RequestMethod[options.method] }),
    HttpCode(status),
    Roles(...options.roles),
    ...(options.largeBody ? [SetMetadata(LARGE_BODY_METADATA, true)] : []),
    ApiTags(options.tag),
    ApiOperation({
      summary: options.summary,
      ...(options.description ? { description: options.description } : {}),
    }),
    ApiResponse({
      status,
      description: options.responseDescription ?? 'Done',
      ...(options.response ? { schema: toOpenApiSchema(options.response, 'output') } : {}),
    }),
    ...Object.entries(options.errors ?? {}).map(([code, description]) =>
      ApiResponse({ status: Number(code), description: `${description} (problem+json)` }),
    ),
  );
}
