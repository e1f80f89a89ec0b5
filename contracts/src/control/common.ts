import { z } from 'zod';

/** Every control API error: a stable machine code and a message that says what to do next. */
export const ControlError = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. invalid_request, not_found.'),
    message: z.string().describe('What went wrong and how to fix it.'),
    field: z.string().optional().describe('The parameter or body field at fault, when there is one.'),
  }),
});
export type ControlError = z.infer<typeof ControlError>;

export const surfaceNames = [
  'control',
  'console',
  'gpconnect',
  'ssp',
  'mesh',
  'systmone',
  'emis',
  'oauth',
  'fhir-r4',
  'pds',
] as const;
export const SurfaceName = z.enum(surfaceNames);
export type SurfaceName = z.infer<typeof SurfaceName>;

export const gpSystems = ['systmone', 'emis'] as const;
export const GpSystem = z.enum(gpSystems);

export const archetypeKeys = [
  'standard',
  'no-allergies',
  'sensitive',
  'deceased',
  'dissent',
  'inactive',
  'temporary-resident',
  'unverified',
  'in-transit',
  'confidential-items',
  'superseded',
  'large-record',
  'large-document',
  'duplicate-demographics',
] as const;
export const ArchetypeKey = z.enum(archetypeKeys);

export const staffRoles = [
  'gp',
  'nurse',
  'hca',
  'pharmacist',
  'receptionist',
  'practice-manager',
  'system-administrator',
] as const;
export const StaffRole = z.enum(staffRoles);
