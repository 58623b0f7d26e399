import { decodeCursor, encodeCursor, Route, ZodQuery, type Page } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { RigPageView, toRigView, type RigView } from '../../read-model/rig.views';
import { RigsReadModel } from '../../read-model/rigs.read-model';
import { RIG_READERS } from '../../rigs.roles';
import { ListRigsQuery, RigsCursor } from './list-rigs.query';

@Controller('rigs')
export class ListRigsController {
  constructor(private readonly readModel: RigsReadModel) {}

  @Route({
    method: 'GET',
    roles: RIG_READERS,
    tag: 'rigs',
    summary: 'List rigs in id order, filtered by facility, status, model or serial number',
    response: RigPageView,
  })
  async list(@ZodQuery(ListRigsQuery) query: ListRigsQuery): Promise<Page<RigView>> {
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, RigsCursor).after;
    const { rows, hasMore } = await this.readModel.list({
      facilityId: query.facilityId,
      status: query.status,
      model: query.model,
      serialNumber: query.serialNumber,
      afterId,
      limit: query.limit,
    });
    const items = rows.map(toRigView);
    const last = items[items.length - 1];
    return { items, nextCursor: hasMore && last ? encodeCursor({ after: last.id }) : null };
  }
}
