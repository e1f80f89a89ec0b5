import { z } from 'zod';
import { R4Bundle, R4OperationOutcome, R4Patient } from '../fhir-r4/resources';

/**
 * PDS FHIR (Personal Demographics Service, digital.nhs.uk/developer/api-catalogue/personal-demographics-service-fhir):
 * Patient read and search answer UK Core R4; errors are OperationOutcomes whose details code comes
 * from Spine-ErrorOrWarningCode (e.g. RESOURCE_NOT_FOUND, INVALID_RESOURCE_ID, TOO_MANY_MATCHES).
 */
export const PdsPatient = R4Patient;
export const PdsSearchBundle = R4Bundle.extend({ type: z.literal('searchset'), total: z.number().int().nonnegative() });
export const PdsOperationOutcome = R4OperationOutcome;

/** Every PDS request must carry X-Request-ID, a UUID (PDS FHIR API, request headers). */
export const PdsHeaders = z.looseObject({
  'x-request-id': z.uuid().describe('A fresh UUID per request; PDS echoes it.'),
});

/** Application-restricted search: family and birthdate, optionally given, gender, postcode, fuzzy matching. */
export const PdsSearchQuery = z.object({
  family: z.string().max(100).optional(),
  given: z.string().max(100).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthdate: z.string().max(40).optional().describe('eq{YYYY-MM-DD}, or ge/le for a range.'),
  'address-postalcode': z.string().max(10).optional(),
  _fuzzy_match: z.enum(['true', 'false']).optional(),
  _exact_match: z.enum(['true', 'false']).optional(),
  _max_results: z
    .string()
    .regex(/^\d{1,2}$/)
    .optional(),
});
