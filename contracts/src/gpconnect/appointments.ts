import { z } from 'zod';
import { CodeableConcept, Identifier, Meta, Reference } from '../fhir/datatypes';

/** STU3 Slot.status (hl7.org/fhir/STU3/valueset-slotstatus). */
export const slotStatuses = ['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error'] as const;
/** STU3 Appointment.status (hl7.org/fhir/STU3/valueset-appointmentstatus). */
export const appointmentStatuses = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
] as const;

export const Slot = z.looseObject({
  resourceType: z.literal('Slot'),
  id: z.string(),
  schedule: Reference,
  status: z.enum(slotStatuses),
  start: z.string(),
  end: z.string(),
  serviceType: z.array(CodeableConcept).optional(),
});
export type Slot = z.infer<typeof Slot>;

export const Schedule = z.looseObject({
  resourceType: z.literal('Schedule'),
  id: z.string(),
  actor: z.array(Reference).min(1),
  planningHorizon: z.looseObject({ start: z.string().optional(), end: z.string().optional() }).optional(),
});

/** GPConnect-Appointment-1: what a booked appointment carries (GPC 1.6 appointments_use_case_book_an_appointment). */
export const Appointment = z.looseObject({
  resourceType: z.literal('Appointment'),
  id: z.string().optional(),
  meta: Meta.optional(),
  identifier: z.array(Identifier).optional(),
  status: z.enum(appointmentStatuses),
  start: z.string(),
  end: z.string(),
  slot: z.array(Reference).min(1),
  created: z.string().optional(),
  description: z.string().optional(),
  participant: z
    .array(
      z.looseObject({
        actor: Reference.optional(),
        status: z.enum(['accepted', 'declined', 'tentative', 'needs-action']),
      }),
    )
    .min(1),
});
export type Appointment = z.infer<typeof Appointment>;

/** Search for free slots (GPC 1.6 appointments_use_case_search_for_free_slots). */
export const SlotSearchQuery = z.object({
  start: z.string().max(40).describe('ge{date}: the start of the window, e.g. ge2026-11-23.'),
  end: z.string().max(40).describe('le{date}: the end of the window (at most 14 days after start).'),
  status: z.literal('free'),
  _include: z.string().max(40).describe('Slot:schedule (required).'),
  searchFilter: z
    .union([z.string().max(200), z.array(z.string().max(200)).max(10)])
    .optional()
    .describe('https://fhir.nhs.uk/Id/ods-organization-code|{ODS} and org-type filters.'),
});
