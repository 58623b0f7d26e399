import { DecommissionRigRequest, Uuid } from '@fleet/contracts';
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
export class DecommissionRigController {
  constructor(private readonly rigs: RigCommandService) {}

  @Post(':id/decommission')
  @HttpCode(200)
  @Roles(...RIG_WRITERS)
  @ApiOperation({ summary: 'Retire a rig for good; a racked rig leaves its slot' })
  @ApiOkResponse({ schema: toOpenApiSchema(RigView, 'output') })
  @ApiConflictResponse({ description: 'The rig is decommissioned already' })
  async decommission(
    @ZodParam('id', Uuid) id: string,
    @ZodBody(DecommissionRigRequest) body: DecommissionRigRequest,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(id, { type: 'DecommissionRig', data: body }, { context, ifMatch });
    setETag(reply, rig.version);
    return rig;
  }
}
