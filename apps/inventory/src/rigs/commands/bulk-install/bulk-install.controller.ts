import { BulkInstallRequest } from '@fleet/contracts';
import { ProblemException, RequestContext, Route, toOpenApiSchema } from '@fleet/service-kit';
import { Body, Controller, Headers } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { RIG_WRITERS } from '../../rigs.roles';
import { BulkInstallHandler, type BulkInstallResult } from './bulk-install.handler';
import { parsePlacementsCsv } from './placements-csv.parser';
import { rowsOfJson } from './placement-rows';

@Controller('rigs')
export class BulkInstallController {
  constructor(private readonly handler: BulkInstallHandler) {}

  @Route({
    method: 'POST',
    path: 'install',
    status: 200,
    roles: RIG_WRITERS,
    tag: 'rigs',
    summary: 'Rack many rigs at once, all or nothing',
    description:
      'JSON `{ placements: [{ serialNumber, rack, slot }] }`, or `text/csv` with the header `serialNumber,rack,slot`. ' +
      'If any row fails, nothing is installed and the problem lists every bad row in `details.rows` ' +
      '(`row` is the CSV line, header = 1, or the 1-based position in `placements`).',
    responseDescription: '{ installed: <number of rigs> }',
    errors: {
      400: 'Malformed rows, or a serial or slot twice in the request (every bad row listed)',
      409: 'Unknown serials, rigs not received, or slots taken (every bad row listed)',
      413: 'A body larger than BODY_LIMIT_BYTES',
    },
    // 20,000 placements with the longest serials and racks are about 2.6 MB: past the 1 MiB of other routes.
    largeBody: true,
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ schema: toOpenApiSchema(BulkInstallRequest) })
  install(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @RequestContext() context: RequestContext,
  ): Promise<BulkInstallResult> {
    const mediaType = contentType?.split(';')[0].trim().toLowerCase();
    if (mediaType === 'text/csv' && typeof body === 'string')
      return this.handler.install(parsePlacementsCsv(body), context);
    // Fastify parses other text types too (text/plain): refuse them rather than misread them.
    if (mediaType !== 'application/json')
      throw new ProblemException({
        status: 415,
        code: 'unsupported-media-type',
        detail: `send the placements as application/json or text/csv, not ${mediaType ?? 'a body without a content-type'}`,
      });
    return this.handler.install(rowsOfJson(body), context);
  }
}
