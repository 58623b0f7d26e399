import { Inject, Injectable } from '@nestjs/common';
import type { FleetConfig } from '../config/fleet-config';
import { ProblemException } from '../errors/problem';
import { FLEET_CONFIG } from '../module/tokens';
import { digestOf, type ApiKey } from './api-key';
import { attachPrincipal } from './principal';
import type { Role } from './role';
import type { RouteAccess } from './route-access';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** What the check reads of a request (the object itself also keys the principal and the outcome). */
export interface AuthorizableRequest {
  readonly headers: { readonly authorization?: string };
}

/**
 * Bearer API keys mapped to roles. Keys are looked up by their SHA-256 digest, so no comparison
 * of the secret itself takes place, and only digests are kept in memory.
 *
 * Every HTTP request is checked once, by the `onRequest` hook, before its body is read (a caller
 * without a key must not make the service read and parse a large body); `ApiKeyGuard` only checks
 * requests the hook did not see.
 */
@Injectable()
export class ApiKeyAuthorizer {
  private readonly keysByDigest: ReadonlyMap<string, ApiKey>;
  private readonly authorized = new WeakSet<object>();

  constructor(@Inject(FLEET_CONFIG) config: FleetConfig) {
    this.keysByDigest = new Map(config.auth.keys.map((key) => [key.digest, key]));
  }

  /**
   * Admits the request to a route of the given access, attaching the caller's principal, or throws
   * a 401 (no key, an unknown key) or 403 (a role the route does not admit) problem.
   */
  authorize(request: AuthorizableRequest, access: RouteAccess): void {
    if (!access.public) this.admitKey(request, access.roles);
    this.authorized.add(request);
  }

  /** Whether `authorize` admitted this request already. */
  hasAuthorized(request: object): boolean {
    return this.authorized.has(request);
  }

  private admitKey(request: AuthorizableRequest, admitted: readonly Role[]): void {
    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      throw unauthorized('missing-api-key', 'this route needs an API key: Authorization: Bearer <key>', '');
    }
    const token = BEARER.exec(authorization)?.[1];
    const key = token === undefined ? undefined : this.keysByDigest.get(digestOf(token));
    if (key === undefined) {
      throw unauthorized(
        'invalid-api-key',
        'the API key is not one this service knows',
        ', error="invalid_token"',
      );
    }
    attachPrincipal(request, { role: key.role, keyId: key.keyId, actor: `${key.role}:${key.keyId}` });

    if (key.role === 'admin' || admitted.includes(key.role)) return;
    throw new ProblemException({
      status: 403,
      code: 'role-not-admitted',
      detail: `the role ${key.role} may not use this route (admitted: ${['admin', ...admitted].join(', ')})`,
    });
  }
}

function unauthorized(code: string, detail: string, challenge: string): ProblemException {
  return new ProblemException({
    status: 401,
    code,
    detail,
    headers: { 'www-authenticate': `Bearer realm="fleet"${challenge}` },
  });
}
