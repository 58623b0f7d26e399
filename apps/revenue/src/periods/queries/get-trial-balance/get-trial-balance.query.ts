import { CalendarDate } from '@fleet/contracts';
import { z } from 'zod';

export const GetTrialBalanceQuery = z.object({
  asOf: CalendarDate.optional().describe('the last booking date included (default: today, UTC)'),
});
export type GetTrialBalanceQuery = z.infer<typeof GetTrialBalanceQuery>;
