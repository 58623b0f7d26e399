import { DecommissionRigRequest, Uuid } from '@fleet/contracts';
import { IfMatch, replyWithVersion, RequestContext, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
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
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(
      { type: 'DecommissionRig', data: { ...body, rigId: id } },
      context,
      ifMatch,
    );
    return replyWithVersion(reply, rig, { version: rig.version });
  }
}
