import { Uuid } from '@fleet/contracts';
import { Roles, setETag, toOpenApiSchema, ZodParam } from '@fleet/service-kit';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RIG_READERS } from '../../rig-api';
import { rigNotFound } from '../../rig-command.service';
import { RigView, toRigView } from '../../rig.view';
import { RigsReadModel } from '../../rigs.read-model';

@ApiTags('rigs')
@Controller('rigs')
export class GetRigController {
  constructor(private readonly readModel: RigsReadModel) {}

  @Get(':id')
  @Roles(...RIG_READERS)
  @ApiOperation({ summary: 'One rig; its ETag is its version, for If-Match on the next command' })
  @ApiOkResponse({ schema: toOpenApiSchema(RigView, 'output') })
  @ApiNotFoundResponse({ description: 'No such rig' })
  async get(
    @ZodParam('id', Uuid) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const record = await this.readModel.findById(id);
    if (!record) throw rigNotFound(id);
    const rig = toRigView(record);
    setETag(reply, rig.version);
    return rig;
  }
}
