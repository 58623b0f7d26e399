import { InstallRigRequest, Uuid } from '@fleet/contracts';
import {
  IfMatch,
  RequestContext,
  Roles,
  setETag,
  toOpenApiSchema,
  ZodBody,
  ZodParam,
} from '@fleet/service-kit';
import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RIG_WRITERS } from '../../rig-api';
import { RigCommandService } from '../../rig-command.service';
import { RigView } from '../../rig.view';

@ApiTags('rigs')
@Controller('rigs')
export class InstallRigController {
  constructor(private readonly rigs: RigCommandService) {}

  @Post(':id/install')
  @HttpCode(200)
  @Roles(...RIG_WRITERS)
  @ApiOperation({ summary: 'Rack a received rig in a slot of its facility (one rig per slot)' })
  @ApiOkResponse({ schema: toOpenApiSchema(RigView, 'output') })
  @ApiConflictResponse({
    description: "The rig's status forbids it, or the slot is taken (named with its occupant)",
  })
  async install(
    @ZodParam('id', Uuid) id: string,
    @ZodBody(InstallRigRequest) body: InstallRigRequest,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(id, { type: 'InstallRig', data: body }, { context, ifMatch });
    setETag(reply, rig.version);
    return rig;
  }
}
