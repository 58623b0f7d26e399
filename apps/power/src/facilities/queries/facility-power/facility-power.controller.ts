import { FacilityId } from '@fleet/contracts';
import { replyWithVersion, Route, ZodParam, ZodQuery } from '@fleet/service-kit';
import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FACILITY_READERS } from '../../facilities.roles';
import { FacilityPowerReadModel } from '../../read-model/facility-power.read-model';
import { FacilityPowerView } from '../../read-model/facility-power.views';
import { FacilityPowerQuery } from './facility-power.query';

@Controller('facilities')
export class FacilityPowerController {
  constructor(private readonly readModel: FacilityPowerReadModel) {}

  @Route({
    method: 'GET',
    path: ':facilityId/power',
    roles: FACILITY_READERS,
    tag: 'power',
    summary:
      'Capacity in force, reserve, PUE, IT and facility load, available kW, rigs on and each rack against its budget; ' +
      '`at` answers as of an earlier instant',
    response: FacilityPowerView,
    errors: { 404: 'The facility has no power record (or none yet at `at`)' },
  })
  async get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodQuery(FacilityPowerQuery) query: FacilityPowerQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FacilityPowerView> {
    const view =
      query.at === undefined
        ? await this.readModel.now(facilityId)
        : await this.readModel.asOf(facilityId, new Date(query.at));
    return replyWithVersion(reply, view, { version: view.version });
  }
}
