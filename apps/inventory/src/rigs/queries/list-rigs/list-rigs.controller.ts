import { decodeCursor, encodeCursor, Roles, toOpenApiSchema, ZodQuery, type Page } from '@fleet/service-kit';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RIG_READERS } from '../../rig-api';
import { RigView, toRigView } from '../../rig.view';
import { RigsReadModel } from '../../rigs.read-model';
import { ListRigsQuery, RigsCursor } from './list-rigs.query';

const RigPage = z.object({ items: z.array(RigView), nextCursor: z.string().nullable() });

@ApiTags('rigs')
@Controller('rigs')
export class ListRigsController {
  constructor(private readonly readModel: RigsReadModel) {}

  @Get()
  @Roles(...RIG_READERS)
  @ApiOperation({ summary: 'List rigs in id order, filtered by facility, status, model or serial number' })
  @ApiOkResponse({ schema: toOpenApiSchema(RigPage, 'output') })
  async list(@ZodQuery(ListRigsQuery) query: ListRigsQuery): Promise<Page<RigView>> {
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, RigsCursor).after;
    const { records, hasMore } = await this.readModel.list({
      facilityId: query.facilityId,
      status: query.status,
      model: query.model,
      serialNumber: query.serialNumber,
      afterId,
      limit: query.limit,
    });
    const items = records.map(toRigView);
    const last = items[items.length - 1];
    return { items, nextCursor: hasMore && last ? encodeCursor({ after: last.id }) : null };
  }
}
