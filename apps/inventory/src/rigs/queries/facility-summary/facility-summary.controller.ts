import { FacilityId } from '@fleet/contracts';
import { Route, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { FacilitySummaryView } from '../../read-model/rig.views';
import { RigsReadModel, type FacilitySummary } from '../../read-model/rigs.read-model';
import { RIG_READERS } from '../../rigs.roles';

@Controller('facilities')
export class FacilitySummaryController {
  constructor(private readonly readModel: RigsReadModel) {}

  @Route({
    method: 'GET',
    path: ':facilityId/summary',
    roles: RIG_READERS,
    tag: 'facilities',
    summary: "Count a facility's rigs by status (every status, 0 included) and by model",
    description: 'A facility without rigs answers zeros: facilities are not registered in inventory.',
    response: FacilitySummaryView,
  })
  summary(@ZodParam('facilityId', FacilityId) facilityId: string): Promise<FacilitySummary> {
    return this.readModel.summary(facilityId);
  }
}
