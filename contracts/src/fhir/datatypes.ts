import { z } from 'zod';

/**
 * FHIR datatypes shared by STU3 (GP Connect) and R4 (UK Core, PDS): the elements gpsim relies on.
 * Objects are loose (unknown elements pass), because FHIR lets servers add elements and
 * extensions; what a contract pins is what a consumer may depend on.
 */
export const Coding = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});

export const CodeableConcept = z.looseObject({
  coding: z.array(Coding).optional(),
  text: z.string().optional(),
});

export const Identifier = z.looseObject({
  system: z.string().optional(),
  value: z.string().optional(),
});

export const Reference = z.looseObject({
  reference: z.string().optional(),
  identifier: Identifier.optional(),
  display: z.string().optional(),
});

export const Period = z.looseObject({ start: z.string().optional(), end: z.string().optional() });

export const Meta = z.looseObject({
  versionId: z.string().optional(),
  lastUpdated: z.string().optional(),
  profile: z.array(z.string()).optional(),
});

export const HumanName = z.looseObject({
  use: z.enum(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden']).optional(),
  family: z.string().optional(),
  given: z.array(z.string()).optional(),
  prefix: z.array(z.string()).optional(),
});

export const administrativeGenders = ['male', 'female', 'other', 'unknown'] as const;
export const AdministrativeGender = z.enum(administrativeGenders);

/** FHIR id: 1–64 letters, digits, '-' and '.' (FHIR datatypes, id). */
export const FhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id: 1–64 letters, digits, - or .');

/** Any FHIR resource: a resourceType and whatever else it carries. */
export const AnyResource = z.looseObject({ resourceType: z.string(), id: z.string().optional() });
export type AnyResource = z.infer<typeof AnyResource>;

export const issueSeverities = ['fatal', 'error', 'warning', 'information'] as const;
