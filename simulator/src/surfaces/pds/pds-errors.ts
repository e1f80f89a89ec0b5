import type { SimErrorCode } from '../../domain/errors';
import { SimError } from '../../domain/errors';
import type { SimRequest, SimResponse } from '../../transport/types';
import { pdsJsonResponse } from './pds-response';

/**
 * PDS FHIR's error dialect: an OperationOutcome whose details coding comes from
 * https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode, version "1" (personal-demographics.yaml
 * components/examples/OperationOutcome; the error stubs of the PDS sandbox,
 * karate-tests/src/test/java/mocks/stubs/errorResponses/*.json, give each code's issue type and display).
 */
export const SPINE_ERROR_SYSTEM = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

const pdsCodes = {
  INVALID_RESOURCE_ID: { issue: 'value', display: 'Resource Id is invalid' },
  INVALID_VALUE: { issue: 'value', display: 'Provided value is invalid' },
  MISSING_VALUE: { issue: 'required', display: 'Required value is missing' },
  INVALID_SEARCH_DATA: { issue: 'value', display: 'Search data is invalid' },
  ADDITIONAL_PROPERTIES: { issue: 'invariant', display: 'Additional properties should not be included' },
  UNSUPPORTED_SERVICE: { issue: 'processing', display: 'Unsupported Service' },
  UNSUPPORTED_REQUEST: { issue: 'value', display: 'The request is not one that is supported.' },
  RESOURCE_NOT_FOUND: { issue: 'not-found', display: 'Resource not found' },
  INVALID_METHOD: { issue: 'not-supported', display: 'Method not allowed' },
  RESOURCE_VERSION_MISMATCH: { issue: 'conflict', display: 'Resource version supplied does not match actual version' },
  ACCESS_DENIED: { issue: 'forbidden', display: 'Access Denied - Unauthorised' },
  TOO_MANY_REQUESTS: { issue: 'value', display: 'Too many requests' },
  SERVICE_UNAVAILABLE: { issue: 'timeout', display: 'Service unavailable' },
  UNKNOWN_ERROR: { issue: 'unknown', display: 'Unknown Error' },
} as const;
export type PdsCode = keyof typeof pdsCodes;

/** The one status table of the PDS face: each domain error's HTTP status and default PDS code. */
export const pdsStatusTable: Record<SimErrorCode, { status: number; code: PdsCode }> = {
  'invalid-request': { status: 400, code: 'INVALID_VALUE' },
  'invalid-parameter': { status: 400, code: 'INVALID_VALUE' },
  'invalid-nhs-number': { status: 400, code: 'INVALID_RESOURCE_ID' },
  'invalid-identifier-system': { status: 400, code: 'INVALID_VALUE' },
  'invalid-resource': { status: 400, code: 'INVALID_VALUE' },
  'not-found': { status: 404, code: 'UNSUPPORTED_REQUEST' },
  'patient-not-found': { status: 404, code: 'RESOURCE_NOT_FOUND' },
  'practice-not-found': { status: 404, code: 'RESOURCE_NOT_FOUND' },
  'practitioner-not-found': { status: 404, code: 'RESOURCE_NOT_FOUND' },
  'method-not-allowed': { status: 405, code: 'INVALID_METHOD' },
  'unsupported-media-type': { status: 415, code: 'INVALID_VALUE' },
  'not-acceptable': { status: 406, code: 'INVALID_VALUE' },
  'payload-too-large': { status: 413, code: 'INVALID_VALUE' },
  conflict: { status: 409, code: 'RESOURCE_VERSION_MISMATCH' },
  duplicate: { status: 409, code: 'INVALID_VALUE' },
  forbidden: { status: 403, code: 'ACCESS_DENIED' },
  'consent-withheld': { status: 403, code: 'ACCESS_DENIED' },
  unauthorised: { status: 401, code: 'ACCESS_DENIED' },
  'rate-limited': { status: 429, code: 'TOO_MANY_REQUESTS' },
  unavailable: { status: 503, code: 'SERVICE_UNAVAILABLE' },
  'not-implemented': { status: 501, code: 'UNSUPPORTED_SERVICE' },
  internal: { status: 500, code: 'UNKNOWN_ERROR' },
};

/** PDS 400s differ by code where the domain has one error (missing vs invalid vs unexpected parameter). */
const badRequestCodes: readonly PdsCode[] = [
  'INVALID_VALUE',
  'MISSING_VALUE',
  'INVALID_SEARCH_DATA',
  'ADDITIONAL_PROPERTIES',
  'UNSUPPORTED_SERVICE',
];

/** A 400 with a specific PDS code; the diagnostics follow the wording PDS uses for it. */
export function pdsBadRequest(code: PdsCode, diagnostics: string, field?: string): SimError {
  return new SimError('invalid-parameter', diagnostics, { ...(field ? { field } : {}), detail: { pdsCode: code } });
}

export function operationOutcome(
  code: PdsCode,
  diagnostics: string | undefined,
  severity: 'error' | 'information' = 'error',
): Record<string, unknown> {
  const { issue, display } = pdsCodes[code];
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity,
        code: issue,
        details: { coding: [{ system: SPINE_ERROR_SYSTEM, version: '1', code, display }] },
        ...(diagnostics === undefined ? {} : { diagnostics }),
      },
    ],
  };
}

/**
 * More patients matched than `_max-results` allows: PDS answers 200 with this outcome instead of a
 * Bundle (patient-search.yaml, 200 response: TOO_MANY_MATCHES; sandbox stub TOO_MANY_MATCHES.json).
 */
export function tooManyMatches(maxResults: number): Record<string, unknown> {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'information',
        code: 'multiple-matches',
        details: {
          coding: [{ system: SPINE_ERROR_SYSTEM, version: '1', code: 'TOO_MANY_MATCHES', display: 'Too Many Matches' }],
        },
        diagnostics: `More patients matched than _max-results=${maxResults} allows; refine the search (more parameters, a narrower date range) or raise _max-results (up to 50).`,
      },
    ],
  };
}

export function renderPdsError(error: SimError, request: SimRequest): SimResponse {
  const row = pdsStatusTable[error.code];
  const override = error.detail?.['pdsCode'];
  const code = row.status === 400 && badRequestCodes.includes(override as PdsCode) ? (override as PdsCode) : row.code;
  // PDS reports a missing patient as information, not error (sandbox stub RESOURCE_NOT_FOUND.json).
  const severity = code === 'RESOURCE_NOT_FOUND' ? 'information' : 'error';
  // PDS asks clients to retry a 503 after Retry-After seconds with the same X-Request-ID
  // (proxies/live/apiproxy/policies/AssignMessage.Errors.ServiceUnavailable.xml sets 5).
  const headers: Record<string, string> = {
    ...(code === 'SERVICE_UNAVAILABLE' ? { 'Retry-After': '5' } : {}),
    ...error.headers,
  };
  return pdsJsonResponse(request, error.status ?? row.status, operationOutcome(code, error.message, severity), headers);
}
