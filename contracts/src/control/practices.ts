import { z } from 'zod';
import { GpSystem } from './common';

/** GP Connect clinical areas a practice can switch off one by one (Access Record Structured). */
export const clinicalAreas = [
  'allergies',
  'medication',
  'consultations',
  'problems',
  'immunisations',
  'uncategorised',
  'investigations',
  'referrals',
  'diary',
] as const;
export const ClinicalArea = z.enum(clinicalAreas);

/**
 * A practice's booking window and embargo for GP Connect appointments (GPC
 * appointments_provider_sys_slot_availability.md, "Booking window/embargo"): slots are released
 * `opensDaysBefore` days before they start (embargoed until then) and stop being offered
 * `closesMinutesBefore` minutes before they start.
 */
export const BookingWindow = z.object({
  opensDaysBefore: z
    .number()
    .int()
    .min(1)
    .max(366)
    .nullable()
    .describe('Days before its start a slot is released for booking; null: released as soon as it exists.'),
  closesMinutesBefore: z
    .number()
    .int()
    .min(0)
    .max(20_160)
    .describe('Minutes before its start a slot stops being offered or bookable; 0: until it starts.'),
});
export type BookingWindow = z.infer<typeof BookingWindow>;

export const GpConnectSettings = z.object({
  enabled: z.boolean().describe('The practice-level switch for GP Connect as a whole.'),
  foundations: z.boolean(),
  appointments: z.boolean(),
  structured: z.boolean(),
  documents: z.boolean(),
  bookingWindow: BookingWindow,
  clinicalAreas: z.object(
    Object.fromEntries(clinicalAreas.map((area) => [area, z.boolean()])) as Record<
      (typeof clinicalAreas)[number],
      z.ZodBoolean
    >,
  ),
});
export type GpConnectSettings = z.infer<typeof GpConnectSettings>;

export const PartnerSettings = z.object({
  enabled: z.boolean().describe('Whether the practice has authorised this partner product.'),
  functions: z.record(z.string(), z.boolean()).describe('Per-function (SystmOne) or per-feature (EMIS) switches.'),
});
export type PartnerSettings = z.infer<typeof PartnerSettings>;

export const PracticeSettings = z.object({
  gpconnect: GpConnectSettings,
  partners: z.record(z.string(), PartnerSettings),
  deviceTrust: z
    .boolean()
    .describe(
      'Internet SystmOne two-factor device authentication on the sign-in page: a user signing in from a browser they have not validated must enter the passcode e-mailed to them. Off by default, so scripted sign-ins succeed first time.',
    ),
});
export type PracticeSettings = z.infer<typeof PracticeSettings>;

/** PATCH body: any subset of the settings; what is not sent is left as it is. */
export const PracticeSettingsPatch = z
  .object({
    gpconnect: z
      .object({
        enabled: z.boolean(),
        foundations: z.boolean(),
        appointments: z.boolean(),
        structured: z.boolean(),
        documents: z.boolean(),
        bookingWindow: BookingWindow.partial().strict(),
        clinicalAreas: z
          .object(
            Object.fromEntries(clinicalAreas.map((area) => [area, z.boolean()])) as Record<
              (typeof clinicalAreas)[number],
              z.ZodBoolean
            >,
          )
          .partial()
          .strict(),
      })
      .partial()
      .strict(),
    partners: z.record(
      z.string(),
      z
        .object({ enabled: z.boolean(), functions: z.record(z.string(), z.boolean()) })
        .partial()
        .strict(),
    ),
    deviceTrust: z.boolean(),
  })
  .partial()
  .strict();
export type PracticeSettingsPatch = z.infer<typeof PracticeSettingsPatch>;

export const PracticeSummary = z.object({
  ods: z.string(),
  name: z.string(),
  system: GpSystem,
  settings: PracticeSettings,
});
export type PracticeSummary = z.infer<typeof PracticeSummary>;
