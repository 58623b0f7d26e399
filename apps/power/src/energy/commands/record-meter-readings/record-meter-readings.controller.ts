import { FacilityId, PostMeterReadingsRequest } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { ENERGY_OPERATORS } from '../../energy.roles';
import { MeterReadingsView } from '../../read-model/energy.views';
import { RecordMeterReadingsHandler } from './record-meter-readings.handler';

@Controller('facilities')
export class RecordMeterReadingsController {
  constructor(private readonly recordReadings: RecordMeterReadingsHandler) {}

  @Route({
    method: 'POST',
    path: ':facilityId/meter-readings',
    status: 200,
    roles: ENERGY_OPERATORS,
    tag: 'power',
    summary:
      "Record a facility's meter readings, idempotent per meter and interval: the same figure again changes nothing, " +
      'another figure replaces the earlier one, and a day already published is published again with the new figure',
    response: MeterReadingsView,
    errors: { 404: 'The facility has no capacity record' },
  })
  async post(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PostMeterReadingsRequest) body: PostMeterReadingsRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<MeterReadingsView> {
    const { view, version } = await this.recordReadings.execute(facilityId, body, context, ifMatch);
    return replyWithVersion(reply, view, { version });
  }
}
