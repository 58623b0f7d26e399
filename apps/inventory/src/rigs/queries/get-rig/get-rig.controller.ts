import { Uuid } from '@fleet/contracts';
import { replyWithVersion, Route, ZodParam } from '@fleet/service-kit';
import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { rigNotFound } from '../../domain/rig.errors';
import { RigView, toRigView } from '../../read-model/rig.views';
import { RigsReadModel } from '../../read-model/rigs.read-model';
import { RIG_READERS } from '../../rigs.roles';

@Controller('rigs')
export class GetRigController {
  constructor(private readonly readModel: RigsReadModel) {}

  @Route({
    method: 'GET',
    path: ':id',
    roles: RIG_READERS,
    tag: 'rigs',
    summary: 'One rig; its ETag is its version, for If-Match on the next command',
    response: RigView,
    errors: { 404: 'No such rig' },
  })
  async get(
    @ZodParam('id', Uuid) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigView> {
    const row = await this.readModel.findById(id);
    if (!row) throw rigNotFound(id);
    const rig = toRigView(row);
    return replyWithVersion(reply, rig, { version: rig.version });
  }
}
