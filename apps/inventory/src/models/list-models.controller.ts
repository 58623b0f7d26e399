import { RIG_MODELS, type RigModel } from '@fleet/contracts';
import { Roles, toOpenApiSchema } from '@fleet/service-kit';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RIG_READERS } from '../rigs/rig-api';

/** The catalogue's shape, for OpenAPI. */
const RigModelList = z.object({
  items: z.array(
    z.object({
      id: z.string().describe('named everywhere, in APIs and events, e.g. asicminer-8-nano-pro'),
      vendor: z.string(),
      name: z.string(),
      coin: z.enum(['BTC', 'ZEC']),
      algorithm: z.enum(['SHA-256', 'Equihash']),
      nominalHashrate: z.string().describe('decimal string, in hashrateUnit'),
      hashrateUnit: z.enum(['TH/s', 'kSol/s']),
      powerWatts: z.number().int().describe('at the wall'),
    }),
  ),
});

@ApiTags('models')
@Controller('models')
export class ListModelsController {
  @Get()
  @Roles(...RIG_READERS)
  @ApiOperation({ summary: 'The catalogue of rig models; a model is named everywhere by its id' })
  @ApiOkResponse({ schema: toOpenApiSchema(RigModelList, 'output') })
  list(): { items: readonly RigModel[] } {
    return { items: RIG_MODELS };
  }
}
