import { RepairRigRequest, Uuid } from '@fleet/contracts';
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
export class RepairRigController {
  constructor(private readonly rigs: RigCommandService) {}

  @Post(':id/repair')
  @HttpCode(200)
  @Roles(...RIG_WRITERS)
  @ApiOperation({ summary: 'Send a rig to repair; a racked rig leaves its slot, which is free from then on' })
  @ApiOkResponse({ schema: toOpenApiSchema(RigView, 'output') })
  @ApiConflictResponse({ description: "The rig's status forbids it (in repair already, or decommissioned)" })
  async repair(
    @ZodParam('id', Uuid) id: string,
    @ZodBody(RepairRigRequest) body: RepairRigRequest,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(id, { type: 'SendRigToRepair', data: body }, { context, ifMatch });
    setETag(reply, rig.version);
    return rig;
  }
}
