import fastifyStatic from '@fastify/static';
import { PROBLEM_CONTENT_TYPE } from '@fleet/service-kit';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { dashboardHeadersOf } from './dashboard-headers';
import type { DashboardSettings } from './dashboard-settings';

export const DASHBOARD_SETTINGS = Symbol('DASHBOARD_SETTINGS');

/**
 * Serves the dashboard's bundle at `/` without an API key: static files only, the reports stay
 * behind their roles (the page asks for a key and sends it with every call). One route per file
 * of the bundle (`wildcard: false`), so any other URL is the API's own 404.
 */
@Injectable()
export class DashboardAssets implements OnModuleInit {
  private readonly logger = new Logger('Dashboard');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DASHBOARD_SETTINGS) private readonly settings: DashboardSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (!this.settings.built) {
      this.logger.warn(
        `no dashboard in ${this.settings.directory} (build it with nx build reporting, or set DASHBOARD_DIR): GET / answers 404`,
      );
      fastify.get('/', (request, reply) => {
        void reply.code(404).type(PROBLEM_CONTENT_TYPE).send({
          type: 'urn:fleet:problem:dashboard-not-built',
          title: 'Not Found',
          status: 404,
          detail: 'this reporting build has no dashboard: build it with `nx build reporting`',
          code: 'dashboard-not-built',
          instance: request.url,
          correlationId: request.id,
        });
      });
      return;
    }
    await fastify.register(fastifyStatic, {
      root: this.settings.directory,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      // Swagger UI registered the plugin already, with `reply.sendFile`.
      decorateReply: false,
      // Hidden from the OpenAPI document: pages, not API.
      schemaHide: true,
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        for (const [name, value] of Object.entries(dashboardHeadersOf(filePath))) reply.header(name, value);
      },
    });
    this.logger.log(`dashboard served at / from ${this.settings.directory}`);
  }
}
