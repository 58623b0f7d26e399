import { z } from 'zod';
import { FacilityId } from '@fleet/contracts';
import { PositionString } from '@fleet/service-kit';
import { ORDER_STATUSES } from '../../domain/order.state';

export const ListOrdersQuery = z.object({
  facilityId: FacilityId.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
});
export type ListOrdersQuery = z.infer<typeof ListOrdersQuery>;

/** What a cursor of `GET /orders` holds: the position of the last order of the page before. */
export const OrdersCursor = z.object({ before: PositionString });
