import { RepairRigRequest, Uuid } from '@fleet/contracts';
import { IfMatch, replyWithVersion, RequestContext, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
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
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(
      { type: 'SendRigToRepair', data: { ...body, rigId: id } },
      context,
      ifMatch,
    );
    return replyWithVersion(reply, rig, { version: rig.version });
  }
}
