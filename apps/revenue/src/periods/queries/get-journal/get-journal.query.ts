import { Month } from '@fleet/contracts';
import { z } from 'zod';

export const GetJournalQuery = z.object({ month: Month });
export type GetJournalQuery = z.infer<typeof GetJournalQuery>;
