import {
  RequestMethod,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { routeHandlersOf } from '../http/route-handlers';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** Each app's interceptor, by its Fastify instance (tests run several apps in one process). */
const interceptorsByServer = new WeakMap<object, IdempotencyInterceptor>();

/**
 * The one object every POST route lists, whichever app it runs in: a route's metadata belongs to
 * its controller class, which every app of the process shares. It hands the request to the
 * interceptor of the app that received it.
 */
const idempotencyOfItsApp: NestInterceptor = {
  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Promise<Observable<unknown>> | Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const interceptor = interceptorsByServer.get(request.server);
    // Never a POST without its Idempotency-Key handling: an app not set up by configureHttp fails.
    if (!interceptor) throw new Error('this app did not apply applyIdempotencyToPosts');
    return interceptor.intercept(context, next);
  },
};

/**
 * Puts `IdempotencyInterceptor` in front of every POST route (and any route of every method), and
 * nowhere else. As a global interceptor it ran on every request, and a route with any interceptor
 * at all goes through Nest's RxJS pipeline (observables, deferred subscriptions) that a route with
 * none skips: a large share of the framework's work on a simple read, for a header only POSTs
 * honour. Call after the app is created and before `init()`, when Nest builds its routes from this
 * metadata.
 */
export function applyIdempotencyToPosts(app: NestFastifyApplication & INestApplication): void {
  interceptorsByServer.set(app.getHttpAdapter().getInstance(), app.get(IdempotencyInterceptor));
  for (const { handler, method } of routeHandlersOf(app)) {
    if (method !== RequestMethod.POST && method !== RequestMethod.ALL) continue;
    const own = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    if (own.includes(idempotencyOfItsApp)) continue;
    // Outermost of the route's own, as it was as a global one: the command's transaction holds
    // everything else the route runs.
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [idempotencyOfItsApp, ...own], handler);
  }
}
