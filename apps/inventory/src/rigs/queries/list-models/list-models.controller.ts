import { RIG_MODELS, type RigModel } from '@fleet/contracts';
import { Route } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { RIG_READERS } from '../../rigs.roles';

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

@Controller('models')
export class ListModelsController {
  @Route({
    method: 'GET',
    roles: RIG_READERS,
    tag: 'models',
    summary: 'The catalogue of rig models; a model is named everywhere by its id',
    response: RigModelList,
  })
  list(): { items: readonly RigModel[] } {
    return { items: RIG_MODELS };
  }
}
