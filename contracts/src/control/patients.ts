import { z } from 'zod';

/**
 * PUT /__sim/patients/{nhsNumber}/pds-registration: the patient registered at another practice,
 * which updated PDS (GP2GP step 1); that practice may now migrate the record from the old one.
 */
export const PdsRegistrationChange = z
  .object({
    ods: z
      .string()
      .regex(/^[A-Za-z0-9]{3,10}$/, 'an ODS code: 3 to 10 letters and digits')
      .describe('The practice PDS names as registered GP from now on (any ODS code, in the estate or not).'),
  })
  .strict();
export type PdsRegistrationChange = z.infer<typeof PdsRegistrationChange>;

export const PdsRegistration = z.object({
  nhsNumber: z.string(),
  ods: z.string(),
  holdingOds: z.string().describe('The practice that holds the record (and answers its GP Connect calls).'),
  moved: z.boolean(),
});
export type PdsRegistration = z.infer<typeof PdsRegistration>;
