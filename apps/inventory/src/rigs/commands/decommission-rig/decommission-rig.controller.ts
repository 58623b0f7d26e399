import { DecommissionRigRequest, Uuid } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { RigView } from '../../read-model/rig.views';
import { RIG_WRITERS } from '../../rigs.roles';
import { RigCommandHandler } from '../rig-command.handler';

@Controller('rigs')
export class DecommissionRigController {
  constructor(private readonly rigs: RigCommandHandler) {}

  @Route({
    method: 'POST',
    path: ':id/decommission',
    status: 200,
    roles: RIG_WRITERS,
    tag: 'rigs',
    summary: 'Retire a rig for good; a racked rig leaves its slot',
    response: RigView,
    errors: { 409: 'The rig is decommissioned already' },
  })
  async decommission(
    @ZodParam('id', Uuid) id: string,
    @ZodBody(DecommissionRigRequest) body: DecommissionRigRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(
      { type: 'DecommissionRig', data: { ...body, rigId: id } },
      context,
      ifMatch,
    );
    return replyWithVersion(reply, rig, { version: rig.version });
  }
}
