import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { FleetConfig } from '../config/fleet-config';
import { ProblemException } from '../errors/problem';
import { FLEET_CONFIG } from '../module/tokens';
import { digestOf, type ApiKey } from './api-key';
import { attachPrincipal } from './principal';
import { PUBLIC_METADATA, ROLES_METADATA } from './roles.decorator';
import type { Role } from './role';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Bearer API keys mapped to roles. Keys are looked up by their SHA-256 digest, so no comparison
 * of the secret itself takes place, and only digests are kept in memory.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keysByDigest: ReadonlyMap<string, ApiKey>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(FLEET_CONFIG) config: FleetConfig,
  ) {
    this.keysByDigest = new Map(config.auth.keys.map((key) => [key.digest, key]));
  }

  canActivate(context: ExecutionContext): boolean {
    // Event handlers of the JetStream transport are not HTTP routes: NATS credentials guard them.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
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

    const admitted =
      this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_METADATA, targets) ?? [];
    if (key.role === 'admin' || admitted.includes(key.role)) return true;
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
