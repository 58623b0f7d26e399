import { InstallRigRequest, Uuid } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { RigView } from '../../read-model/rig.views';
import { RIG_WRITERS } from '../../rigs.roles';
import { RigCommandHandler } from '../rig-command.handler';

@Controller('rigs')
export class InstallRigController {
  constructor(private readonly rigs: RigCommandHandler) {}

  @Route({
    method: 'POST',
    path: ':id/install',
    status: 200,
    roles: RIG_WRITERS,
    tag: 'rigs',
    summary: 'Rack a received rig in a slot of its facility (one rig per slot)',
    response: RigView,
    errors: { 409: "The rig's status forbids it, or the slot is taken (named with its occupant)" },
  })
  async install(
    @ZodParam('id', Uuid) id: string,
    @ZodBody(InstallRigRequest) body: InstallRigRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(
      { type: 'InstallRig', data: { ...body, rigId: id } },
      context,
      ifMatch,
    );
    return replyWithVersion(reply, rig, { version: rig.version });
  }
}
