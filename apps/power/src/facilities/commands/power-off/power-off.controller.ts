import { FacilityId, PowerRequest } from '@fleet/contracts';
import { CommandRequest, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { PowerOff, PowerSelection } from '../../domain/facility.commands';
import { POWER_OPERATORS } from '../../facilities.roles';
import { PowerOffView, requestOutcomeOf } from '../../read-model/facility-power.views';
import { FacilityCommandHandler } from '../facility-command.handler';

@Controller('facilities')
export class PowerOffController {
  constructor(private readonly facilities: FacilityCommandHandler) {}

  @Route({
    method: 'POST',
    path: ':facilityId/power-off',
    status: 200,
    roles: POWER_OPERATORS,
    tag: 'power',
    summary:
      'Release the power of rigs (racks in order, rigs by slot); a named rig that is not on is listed as not-on',
    response: PowerOffView,
  })
  async execute(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PowerRequest) body: PowerRequest,
    @CommandRequest() { context }: CommandRequest,
  ): Promise<PowerOffView> {
    const command: PowerOff = {
      type: 'PowerOff',
      data: { facilityId, requestId: randomUUID(), reason: 'requested', selection: selectionOf(body) },
    };
    const build = () => Promise.resolve(command);
    const { events } = body.dryRun
      ? await this.facilities.dryRun(facilityId, build)
      : await this.facilities.execute(facilityId, context, build);
    const { rigs, rejected } = requestOutcomeOf(events);
    return { dryRun: body.dryRun, released: rigs, rejected };
  }
}

function selectionOf(body: PowerRequest): PowerSelection {
  if (body.rigIds) return { rigIds: body.rigIds };
  if (body.racks) return { racks: body.racks };
  return { all: true };
}
