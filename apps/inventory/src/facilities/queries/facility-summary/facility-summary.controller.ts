import { FacilityId, RIG_STATUSES } from '@fleet/contracts';
import { Roles, toOpenApiSchema, ZodParam } from '@fleet/service-kit';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RIG_READERS } from '../../../rigs/rig-api';
import { RigsReadModel, type FacilitySummary } from '../../../rigs/rigs.read-model';

const FacilitySummarySchema = z.object({
  facilityId: FacilityId,
  total: z.number().int(),
  byStatus: z.object(Object.fromEntries(RIG_STATUSES.map((status) => [status, z.number().int()]))),
  byModel: z
    .record(z.string(), z.number().int())
    .describe('rigs per catalogue model present in the facility'),
});

@ApiTags('facilities')
@Controller('facilities')
export class FacilitySummaryController {
  constructor(private readonly readModel: RigsReadModel) {}

  @Get(':facilityId/summary')
  @Roles(...RIG_READERS)
  @ApiOperation({
    summary: "Count a facility's rigs by status (every status, 0 included) and by model",
    description: 'A facility without rigs answers zeros: facilities are not registered in inventory.',
  })
  @ApiOkResponse({ schema: toOpenApiSchema(FacilitySummarySchema, 'output') })
  summary(@ZodParam('facilityId', FacilityId) facilityId: string): Promise<FacilitySummary> {
    return this.readModel.summary(facilityId);
  }
}
