import { asyncApiDocument, fleetAsyncApiDocument } from '@fleet/contracts';
import { Controller, Get, Inject, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import type { FleetServiceOptions } from '../module/fleet-service.options';
import { FLEET_SERVICE_OPTIONS } from '../module/tokens';

/**
 * The service's events as an AsyncAPI document, and Fleet's whole one (every context's events, for
 * a consumer such as reporting that publishes none), generated from the contracts; open like `/docs`.
 */
@ApiExcludeController()
@Controller('docs')
export class AsyncApiController {
  private readonly document?: object;
  /** Built on the first request: every context's schemas, which most services are never asked for. */
  private fleetDocument?: object;

  constructor(@Inject(FLEET_SERVICE_OPTIONS) options: FleetServiceOptions) {
    if (options.context) {
      this.document = asyncApiDocument({
        title: `Fleet ${options.service} events`,
        version: '1',
        context: options.context,
        events: options.events,
      });
    }
  }

  @Get('asyncapi.json')
  @Public()
  asyncApi(): object {
    if (!this.document) throw new NotFoundException('this service publishes no events');
    return this.document;
  }

  @Get('fleet-asyncapi.json')
  @Public()
  fleetAsyncApi(): object {
    this.fleetDocument ??= fleetAsyncApiDocument();
    return this.fleetDocument;
  }
}
