import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, type Reflector } from '@nestjs/core';

/** A route handler or its controller class, as Nest's `Reflector` reads them. */
type MetadataTarget = Parameters<Reflector['get']>[1];

/** A controller method Nest will register as an HTTP route. */
export interface RouteHandler {
  readonly controller: MetadataTarget;
  readonly handler: MetadataTarget;
  readonly method: RequestMethod;
}

/**
 * Every HTTP route handler of the app's controllers (Nest's own `@Get`/`@Post` or Fleet's `@Route`),
 * read from their decorators before Nest registers them (`init()`): what is set on a handler's
 * metadata here is what Nest then builds the route from.
 */
export function routeHandlersOf(app: INestApplication): RouteHandler[] {
  const scanner = new MetadataScanner();
  const handlers: RouteHandler[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype: controller } of module.controllers.values()) {
      if (typeof controller !== 'function') continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined)
          continue;
        const method =
          (Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) ?? RequestMethod.GET;
        handlers.push({ controller, handler, method });
      }
    }
  }
  return handlers;
}
