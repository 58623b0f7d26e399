import { FacilityId, RigModelId, RigStatus, SerialNumber, Uuid } from '@fleet/contracts';
import { z } from 'zod';

export const MAX_RIGS_PER_PAGE = 1000;

/** `GET /rigs` query string. Unknown parameters are refused: a misspelt filter must not list everything. */
export const ListRigsQuery = z.strictObject({
  facilityId: FacilityId.optional(),
  status: RigStatus.optional(),
  model: RigModelId.optional(),
  serialNumber: SerialNumber.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RIGS_PER_PAGE).default(100),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type ListRigsQuery = z.infer<typeof ListRigsQuery>;

/** What a cursor holds: the id of the last rig of the page. */
export const RigsCursor = z.strictObject({ after: Uuid });
