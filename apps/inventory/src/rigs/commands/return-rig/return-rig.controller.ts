import { Uuid } from '@fleet/contracts';
import { IfMatch, RequestContext, Roles, setETag, toOpenApiSchema, ZodParam } from '@fleet/service-kit';
import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RIG_WRITERS } from '../../rig-api';
import { RigCommandService } from '../../rig-command.service';
import { RigView } from '../../rig.view';

@ApiTags('rigs')
@Controller('rigs')
export class ReturnRigController {
  constructor(private readonly rigs: RigCommandService) {}

  @Post(':id/return')
  @HttpCode(200)
  @Roles(...RIG_WRITERS)
  @ApiOperation({ summary: 'Take a rig back from repair; it is received again, ready to be racked' })
  @ApiOkResponse({ schema: toOpenApiSchema(RigView, 'output') })
  @ApiConflictResponse({ description: 'The rig is not in repair' })
  async giveBack(
    @ZodParam('id', Uuid) id: string,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const rig = await this.rigs.execute(id, { type: 'ReturnRigFromRepair', data: {} }, { context, ifMatch });
    setETag(reply, rig.version);
    return rig;
  }
}
