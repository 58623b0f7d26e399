import { RegisterRigRequest } from '@fleet/contracts';
import { RequestContext, Roles, setETag, toOpenApiSchema, ZodBody } from '@fleet/service-kit';
import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RIG_WRITERS } from '../../rig-api';
import { RigCommandService } from '../../rig-command.service';
import { RigView } from '../../rig.view';

@ApiTags('rigs')
@Controller('rigs')
export class RegisterRigController {
  constructor(private readonly rigs: RigCommandService) {}

  @Post()
  @HttpCode(201)
  @Roles(...RIG_WRITERS)
  @ApiOperation({
    summary: 'Register a rig by hand',
    description: 'Rigs received through procurement are registered automatically; this is for the others.',
  })
  @ApiCreatedResponse({ schema: toOpenApiSchema(RigView, 'output') })
  @ApiConflictResponse({ description: 'The serial number is registered already' })
  async register(
    @ZodBody(RegisterRigRequest) body: RegisterRigRequest,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const rig = await this.rigs.register(body, context);
    setETag(reply, rig.version);
    reply.header('location', `/rigs/${rig.id}`);
    return rig;
  }
}
