import { z } from 'zod';

export const ClockState = z.object({
  now: z.iso.datetime().describe('Simulated time now.'),
  offsetMs: z.number().describe('Simulated time minus wall time, in milliseconds.'),
  frozen: z.boolean(),
});
export type ClockState = z.infer<typeof ClockState>;

/** Move the simulated clock. Fields apply in this order: reset, freeze, set, advance, unfreeze (freeze: false). */
export const ClockChange = z
  .object({
    set: z.iso.datetime({ offset: true }).optional().describe('Jump to this instant (ISO 8601).'),
    advance: z
      .union([z.string(), z.number()])
      .optional()
      .describe('Move forward (or back, if negative): an ISO 8601 duration such as P30D or PT2H, or milliseconds.'),
    freeze: z.boolean().optional().describe('true stops time; false lets it run again.'),
    reset: z.boolean().optional().describe('true returns to wall time.'),
  })
  .strict();
export type ClockChange = z.infer<typeof ClockChange>;
