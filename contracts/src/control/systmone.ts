import { z } from 'zod';

/** POST /__sim/systmone/selection: the patient a user's simulated SystmOne desktop has selected. */
export const SystmOneSelection = z
  .object({
    ods: z.string().min(1).max(10),
    username: z.string().min(1).max(64).optional().describe("Whose desktop; the practice's first GP if omitted."),
    nhsNumber: z.string().regex(/^\d{10}$/),
  })
  .strict();
export type SystmOneSelection = z.infer<typeof SystmOneSelection>;

/** POST /__sim/systmone/tcp-desktop: which practice desktop the Client Integration TCP port reaches. */
export const SystmOneTcpDesktop = z
  .object({ ods: z.string().min(1).max(10), username: z.string().min(1).max(64).optional() })
  .strict();
export type SystmOneTcpDesktop = z.infer<typeof SystmOneTcpDesktop>;
