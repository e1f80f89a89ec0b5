import { z } from 'zod';

/**
 * Access Record Structured: POST Patient/$gpc.getstructuredrecord with a Parameters body
 * (GPC Access Record Structured 1.6, accessrecord_structured_development_retrieve_patient_record).
 */
export const structuredParameterNames = [
  'patientNHSNumber',
  'includeAllergies',
  'includeMedication',
  'includeConsultations',
  'includeProblems',
  'includeImmunisations',
  'includeUncategorisedData',
  'includeInvestigations',
  'includeReferrals',
  'includeDiaryEntries',
] as const;

export const GetStructuredRecordRequest = z.looseObject({
  resourceType: z.literal('Parameters'),
  parameter: z
    .array(
      z.looseObject({
        name: z.enum(structuredParameterNames),
      }),
    )
    .min(1)
    .max(50)
    .describe('patientNHSNumber is required; each include* parameter at most once.'),
});
