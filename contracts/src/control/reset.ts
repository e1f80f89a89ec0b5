import { z } from 'zod';

export const ResetRequest = z
  .object({
    seed: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Rebuild the estate from this seed instead of the current one.'),
  })
  .strict();
export type ResetRequest = z.infer<typeof ResetRequest>;

export const ResetResult = z.object({
  status: z.literal('reset'),
  seed: z.string(),
  tookMs: z.number().nonnegative(),
});
export type ResetResult = z.infer<typeof ResetResult>;
