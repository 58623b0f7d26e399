import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeyAuthorizer } from './api-key.authorizer';
import { routeAccessOf } from './route-access';

/**
 * The API key check as Nest runs it, in front of every route handler. The `onRequest` hook has
 * normally checked the request already, before its body was read; this catches any route the hook
 * was not told about, so that no route is ever open by omission.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authorizer: ApiKeyAuthorizer,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Event handlers of the JetStream transport are not HTTP routes: NATS credentials guard them.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.authorizer.hasAuthorized(request)) return true;
    this.authorizer.authorize(
      request,
      routeAccessOf(this.reflector, context.getHandler(), context.getClass()),
    );
    return true;
  }
}
