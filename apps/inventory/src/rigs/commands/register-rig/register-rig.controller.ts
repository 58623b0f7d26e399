import { RegisterRigRequest } from '@fleet/contracts';
import { replyWithVersion, RequestContext, Route, ZodBody } from '@fleet/service-kit';
import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { rigIdOf } from '../../domain/rig-id';
import { RigView } from '../../read-model/rig.views';
import { RIG_WRITERS } from '../../rigs.roles';
import { RigCommandHandler } from '../rig-command.handler';

@Controller('rigs')
export class RegisterRigController {
  constructor(private readonly rigs: RigCommandHandler) {}

  @Route({
    method: 'POST',
    roles: RIG_WRITERS,
    tag: 'rigs',
    summary: 'Register a rig by hand',
    description: 'Rigs received through procurement are registered automatically; this is for the others.',
    response: RigView,
    errors: { 409: 'The serial number is registered already' },
  })
  async register(
    @ZodBody(RegisterRigRequest) body: RegisterRigRequest,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const { serialNumber, model, facilityId, macAddress } = body;
    const rig = await this.rigs.execute(
      {
        type: 'RegisterRig',
        data: {
          rigId: rigIdOf(serialNumber),
          serialNumber,
          model,
          facilityId,
          ...(macAddress ? { macAddress } : {}),
          source: { kind: 'manual' },
        },
      },
      context,
    );
    return replyWithVersion(reply, rig, { version: rig.version, location: `/rigs/${rig.id}` });
  }
}
