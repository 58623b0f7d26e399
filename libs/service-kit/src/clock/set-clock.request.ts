import { z } from 'zod';

/** `PUT /admin/clock`: the instant business time jumps to, with its offset (`2026-10-02T00:00:00Z`). */
export const SetClockRequest = z.strictObject({
  now: z.iso.datetime({ offset: true }),
});
export type SetClockRequest = z.infer<typeof SetClockRequest>;

export const ClockView = z.object({
  now: z.iso.datetime(),
  mode: z.enum(['system', 'controlled']),
});
export type ClockView = z.infer<typeof ClockView>;
