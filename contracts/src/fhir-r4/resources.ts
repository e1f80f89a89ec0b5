import { z } from 'zod';
import {
  AdministrativeGender,
  AnyResource,
  Coding,
  HumanName,
  Identifier,
  Meta,
  issueSeverities,
} from '../fhir/datatypes';

/**
 * The UK Core R4 subset gpsim serves at /fhir/R4 (the iss of launched apps) and PDS reuses.
 * Loose objects: UK Core adds extensions a consumer may ignore.
 */
export const R4OperationOutcome = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  meta: Meta.optional(),
  issue: z
    .array(
      z.looseObject({
        severity: z.enum(issueSeverities),
        code: z.string().min(1),
        details: z.looseObject({ coding: z.array(Coding).optional(), text: z.string().optional() }).optional(),
        diagnostics: z.string().optional(),
      }),
    )
    .min(1),
});

/** UKCore-Patient: NHS number identifier, name, gender, birth date. */
export const R4Patient = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string(),
  meta: Meta.optional(),
  identifier: z.array(Identifier).min(1),
  name: z.array(HumanName).optional(),
  gender: AdministrativeGender.optional(),
  birthDate: z.iso.date().optional(),
});

export const R4Bundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.enum(['searchset', 'collection', 'document', 'batch-response', 'transaction-response', 'history']),
  total: z.number().int().nonnegative().optional(),
  link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).optional(),
  entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: AnyResource.optional() })).optional(),
});

export const R4CapabilityStatement = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  status: z.enum(['draft', 'active', 'retired', 'unknown']),
  kind: z.enum(['instance', 'capability', 'requirements']),
  fhirVersion: z.string().startsWith('4.'),
  format: z.array(z.string()).min(1),
  rest: z.array(z.looseObject({ mode: z.enum(['client', 'server']) })).min(1),
});

/** Patient search parameters the R4 face accepts (FHIR R4 Patient search). */
export const R4PatientSearchQuery = z.object({
  identifier: z.string().max(200).optional().describe('https://fhir.nhs.uk/Id/nhs-number|{NHS number}'),
  family: z.string().max(100).optional(),
  given: z.string().max(100).optional(),
  birthdate: z.string().max(40).optional(),
  gender: AdministrativeGender.optional(),
  _count: z
    .string()
    .regex(/^\d{1,4}$/)
    .optional(),
});
