import { RepairRigRequest, Uuid } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { RigView } from '../../read-model/rig.views';
import { RIG_WRITERS } from '../../rigs.roles';
import { RigCommandHandler } from '../rig-command.handler';

@Controller('rigs')
export class RepairRigController {
  constructor(private readonly rigs: RigCommandHandler) {}

  @Route({
    method: 'POST',
    path: ':id/repair',
    status: 200,
    roles: RIG_WRITERS,
    tag: 'rigs',
    summary: 'Send a rig to repair; a racked rig leaves its slot, which is free from then on',
    response: RigView,
    errors: { 409: "The rig's status forbids it (in repair already, or decommissioned)" },
  })
  async repair(
    @ZodParam('id', Uuid) id: string,
    @ZodBody(RepairRigRequest) body: RepairRigRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(
      { type: 'SendRigToRepair', data: { ...body, rigId: id } },
      context,
      ifMatch,
    );
    return replyWithVersion(reply, rig, { version: rig.version });
  }
}
