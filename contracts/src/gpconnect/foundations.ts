import { z } from 'zod';
import {
  AdministrativeGender,
  AnyResource,
  Coding,
  HumanName,
  Identifier,
  Meta,
  Reference,
  issueSeverities,
} from '../fhir/datatypes';

/** GP Connect identifier systems (GPC 1.6, development_fhir_namespaces). */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_ORGANIZATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const SPINE_ERROR_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1';

/**
 * Spine error codes a GP Connect provider returns (GPC 1.6 development_fhir_error_handling_guidance).
 * "ACCESS DENIED" carries a space in the value set itself.
 */
export const spineErrorCodes = [
  'BAD_REQUEST',
  'INVALID_PARAMETER',
  'INVALID_RESOURCE',
  'INVALID_NHS_NUMBER',
  'INVALID_IDENTIFIER_SYSTEM',
  'INVALID_IDENTIFIER_VALUE',
  'INVALID_PATIENT_DEMOGRAPHICS',
  'NO_RECORD_FOUND',
  'PATIENT_NOT_FOUND',
  'ORGANISATION_NOT_FOUND',
  'PRACTITIONER_NOT_FOUND',
  'REFERENCE_NOT_FOUND',
  'NO_PATIENT_CONSENT',
  'NO_RELATIONSHIP',
  'ACCESS DENIED',
  'DUPLICATE_REJECTED',
  'FHIR_CONSTRAINT_VIOLATION',
  'CONFLICTING_VALUES',
  'NOT_IMPLEMENTED',
  'INTERNAL_SERVER_ERROR',
] as const;
export const SpineErrorCode = z.enum(spineErrorCodes);

/** FHIR STU3 IssueType codes (hl7.org/fhir/STU3/valueset-issue-type). */
export const issueTypes = [
  'invalid',
  'structure',
  'required',
  'value',
  'invariant',
  'security',
  'login',
  'unknown',
  'expired',
  'forbidden',
  'suppressed',
  'processing',
  'not-supported',
  'duplicate',
  'not-found',
  'too-long',
  'code-invalid',
  'extension',
  'too-costly',
  'business-rule',
  'conflict',
  'incomplete',
  'transient',
  'lock-error',
  'no-store',
  'exception',
  'timeout',
  'throttled',
  'informational',
] as const;

/** GPConnect-OperationOutcome-1: every error carries one issue whose details name a Spine code. */
export const OperationOutcome = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  meta: Meta.optional(),
  issue: z
    .array(
      z.looseObject({
        severity: z.enum(issueSeverities),
        code: z.enum(issueTypes),
        details: z.looseObject({
          coding: z.array(Coding.extend({ system: z.literal(SPINE_ERROR_SYSTEM), code: SpineErrorCode })).min(1),
        }),
        diagnostics: z.string().optional(),
      }),
    )
    .min(1),
});
export type OperationOutcome = z.infer<typeof OperationOutcome>;

/** GPConnect-Patient-1 (Foundations read/search/register). */
export const Patient = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string(),
  meta: Meta.optional(),
  identifier: z.array(Identifier).min(1),
  active: z.boolean().optional(),
  name: z.array(HumanName).min(1),
  gender: AdministrativeGender.optional(),
  birthDate: z.iso.date().optional(),
  deceasedDateTime: z.string().optional(),
  generalPractitioner: z.array(Reference).optional(),
  managingOrganization: Reference.optional(),
});
export type Patient = z.infer<typeof Patient>;

export const Organization = z.looseObject({
  resourceType: z.literal('Organization'),
  id: z.string(),
  identifier: z.array(Identifier).min(1),
  name: z.string(),
});

export const Practitioner = z.looseObject({
  resourceType: z.literal('Practitioner'),
  id: z.string(),
  identifier: z.array(Identifier).optional(),
  name: z.array(HumanName).min(1),
});

export const Location = z.looseObject({
  resourceType: z.literal('Location'),
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'suspended', 'inactive']).optional(),
});

export const bundleTypes = [
  'document',
  'message',
  'transaction',
  'transaction-response',
  'batch',
  'batch-response',
  'history',
  'searchset',
  'collection',
] as const;

/** A Bundle of any resources; `total` is optional because GP Connect collections omit it. */
export const Bundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: z.string().optional(),
  meta: Meta.optional(),
  type: z.enum(bundleTypes),
  total: z.number().int().nonnegative().optional(),
  entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: AnyResource })).optional(),
});
export type Bundle = z.infer<typeof Bundle>;

/** CapabilityStatement as GP Connect publishes it for each capability (GPC 1.6 foundations_use_case_get_the_fhir_capability_statement). */
export const CapabilityStatement = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  version: z.string(),
  status: z.enum(['draft', 'active', 'retired', 'unknown']),
  date: z.string(),
  kind: z.enum(['instance', 'capability', 'requirements']),
  fhirVersion: z.string(),
  acceptUnknown: z.enum(['no', 'extensions', 'elements', 'both']).optional(),
  format: z.array(z.string()).min(1),
  rest: z
    .array(
      z.looseObject({
        mode: z.enum(['client', 'server']),
        resource: z.array(z.looseObject({ type: z.string() })).optional(),
        operation: z.array(z.looseObject({ name: z.string(), definition: Reference })).optional(),
      }),
    )
    .min(1),
});
export type CapabilityStatement = z.infer<typeof CapabilityStatement>;

export const Parameters = z.looseObject({
  resourceType: z.literal('Parameters'),
  parameter: z
    .array(z.looseObject({ name: z.string(), part: z.array(z.looseObject({ name: z.string() })).optional() }))
    .optional(),
});
export type Parameters = z.infer<typeof Parameters>;

/** Headers every GP Connect request carries through the Spine Secure Proxy (GPC 1.6 integration_spine_secure_proxy). */
export const SspHeaders = z.looseObject({
  'ssp-traceid': z.string().min(1).max(100).describe('A fresh GUID per request.'),
  'ssp-from': z.string().regex(/^\d{12}$/, 'the consumer ASID: 12 digits'),
  'ssp-to': z.string().regex(/^\d{12}$/, 'the provider ASID: 12 digits'),
  'ssp-interactionid': z.string().startsWith('urn:nhs:names:services:gpconnect:'),
  authorization: z.string().startsWith('Bearer ').describe('Bearer {unsigned JWT} (alg none).'),
});

/** `identifier` token of a Patient search: `https://fhir.nhs.uk/Id/nhs-number|{NHS number}`. */
export const PatientSearchQuery = z.object({
  identifier: z
    .string()
    .max(200)
    .describe(`${NHS_NUMBER_SYSTEM}|{10-digit NHS number} (GPC 1.6 foundations_use_case_find_a_patient).`),
});
