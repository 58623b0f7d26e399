import { Uuid } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { RigView } from '../../read-model/rig.views';
import { RIG_WRITERS } from '../../rigs.roles';
import { RigCommandHandler } from '../rig-command.handler';

@Controller('rigs')
export class ReturnRigController {
  constructor(private readonly rigs: RigCommandHandler) {}

  @Route({
    method: 'POST',
    path: ':id/return',
    status: 200,
    roles: RIG_WRITERS,
    tag: 'rigs',
    summary: 'Take a rig back from repair; it is received again, ready to be racked',
    response: RigView,
    errors: { 409: 'The rig is not in repair' },
  })
  async returnRig(
    @ZodParam('id', Uuid) id: string,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(
      { type: 'ReturnRigFromRepair', data: { rigId: id } },
      context,
      ifMatch,
    );
    return replyWithVersion(reply, rig, { version: rig.version });
  }
}
