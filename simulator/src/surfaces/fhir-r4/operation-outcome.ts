import type { SimError, SimErrorCode } from '../../domain/errors';
import type { SimRequest, SimResponse } from '../../transport/types';
import { ukCoreProfile } from './fhir-types';

/** Spine error codes of NHS England's R4 APIs (as PDS FHIR uses them: system, version "1", code, display). */
export const SPINE_ERROR_SYSTEM = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

const spineDisplays = {
  INVALID_VALUE: 'Provided value is invalid',
  INVALID_SEARCH_DATA: 'Search data is invalid',
  INVALID_IDENTIFIER_SYSTEM: 'Invalid identifier system',
  INVALID_IDENTIFIER_VALUE: 'Invalid identifier value',
  INVALID_RESOURCE: 'Invalid validation of resource',
  RESOURCE_NOT_FOUND: 'Resource not found',
  INVALID_METHOD: 'Method not allowed',
  RESOURCE_VERSION_MISMATCH: 'Resource version supplied does not match actual version',
  DUPLICATE_REJECTED: 'Create would lead to creation of a duplicate resource',
  ACCESS_DENIED: 'Access Denied',
  TOO_MANY_REQUESTS: 'Too many requests',
  SERVICE_UNAVAILABLE: 'Service unavailable',
  UNSUPPORTED_SERVICE: 'Unsupported Service',
  UNKNOWN_ERROR: 'Unknown Error',
} as const;
type SpineCode = keyof typeof spineDisplays;

interface Rendering {
  status: number;
  /** FHIR issue type (http://hl7.org/fhir/R4/valueset-issue-type.html). */
  issue: string;
  spine: SpineCode;
}

/** The one status table of the UK Core R4 face: every domain error, its HTTP status and codes. */
export const fhirR4StatusTable: Record<SimErrorCode, Rendering> = {
  'invalid-request': { status: 400, issue: 'invalid', spine: 'INVALID_VALUE' },
  'invalid-parameter': { status: 400, issue: 'value', spine: 'INVALID_SEARCH_DATA' },
  'invalid-nhs-number': { status: 400, issue: 'value', spine: 'INVALID_IDENTIFIER_VALUE' },
  'invalid-identifier-system': { status: 400, issue: 'value', spine: 'INVALID_IDENTIFIER_SYSTEM' },
  'invalid-resource': { status: 422, issue: 'invalid', spine: 'INVALID_RESOURCE' },
  'not-found': { status: 404, issue: 'not-found', spine: 'RESOURCE_NOT_FOUND' },
  'patient-not-found': { status: 404, issue: 'not-found', spine: 'RESOURCE_NOT_FOUND' },
  'practice-not-found': { status: 404, issue: 'not-found', spine: 'RESOURCE_NOT_FOUND' },
  'practitioner-not-found': { status: 404, issue: 'not-found', spine: 'RESOURCE_NOT_FOUND' },
  'method-not-allowed': { status: 405, issue: 'not-supported', spine: 'INVALID_METHOD' },
  'unsupported-media-type': { status: 415, issue: 'not-supported', spine: 'INVALID_VALUE' },
  'not-acceptable': { status: 406, issue: 'not-supported', spine: 'INVALID_VALUE' },
  'payload-too-large': { status: 413, issue: 'too-costly', spine: 'INVALID_VALUE' },
  conflict: { status: 409, issue: 'conflict', spine: 'RESOURCE_VERSION_MISMATCH' },
  duplicate: { status: 409, issue: 'duplicate', spine: 'DUPLICATE_REJECTED' },
  forbidden: { status: 403, issue: 'forbidden', spine: 'ACCESS_DENIED' },
  'consent-withheld': { status: 403, issue: 'forbidden', spine: 'ACCESS_DENIED' },
  unauthorised: { status: 401, issue: 'login', spine: 'ACCESS_DENIED' },
  'rate-limited': { status: 429, issue: 'throttled', spine: 'TOO_MANY_REQUESTS' },
  unavailable: { status: 503, issue: 'transient', spine: 'SERVICE_UNAVAILABLE' },
  'not-implemented': { status: 501, issue: 'not-supported', spine: 'UNSUPPORTED_SERVICE' },
  internal: { status: 500, issue: 'exception', spine: 'UNKNOWN_ERROR' },
};

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function fhirJsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'Content-Type': FHIR_JSON, 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** Renders a domain error as a UK Core OperationOutcome; the message tells the caller what to do. */
export function renderFhirR4Error(error: SimError, _request: SimRequest): SimResponse {
  const rendering = fhirR4StatusTable[error.code];
  return fhirJsonResponse(
    error.status ?? rendering.status,
    {
      resourceType: 'OperationOutcome',
      meta: { profile: [ukCoreProfile('UKCore-OperationOutcome')] },
      issue: [
        {
          severity: 'error',
          code: rendering.issue,
          details: {
            coding: [
              {
                system: SPINE_ERROR_SYSTEM,
                version: '1',
                code: rendering.spine,
                display: spineDisplays[rendering.spine],
              },
            ],
          },
          diagnostics: error.message,
        },
      ],
    },
    { ...challenge(error), ...error.headers },
  );
}

/** RFC 6750 §3: a 401 says how to authenticate, a scope refusal says the scope was too small. */
function challenge(error: SimError): Record<string, string> {
  const description = error.message.replace(/["\\]/g, "'");
  if (error.code === 'unauthorised') {
    return { 'WWW-Authenticate': `Bearer realm="gpsim", error="invalid_token", error_description="${description}"` };
  }
  if (error.detail?.['insufficientScope'] === true) {
    return {
      'WWW-Authenticate': `Bearer realm="gpsim", error="insufficient_scope", error_description="${description}"`,
    };
  }
  return {};
}
