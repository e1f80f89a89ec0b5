import { constants as zlibConstants, gzipSync } from 'node:zlib';
import type { SimError, SimErrorCode } from '../../domain/errors';
import type { SimRequest, SimResponse } from '../../transport/types';
import { responseFormat, type GpcFormat } from './content-negotiation';
import { toStu3Xml } from './stu3-xml';

/** GPC development_fhir_error_handling_guidance.md (system fixed by GitHub nhsconnect/gpconnect #1181). */
export const SPINE_ERROR_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1';
export const OPERATION_OUTCOME_PROFILE = 'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1';
export const FHIR_JSON = 'application/fhir+json;charset=utf-8';
export const FHIR_XML = 'application/fhir+xml;charset=utf-8';

/** Displays of the provider error table, reference/domain.md §1.5 (GPC 1.6.2 text). */
export const spineDisplays = {
  BAD_REQUEST: 'Bad request',
  INVALID_PARAMETER: 'Invalid parameter',
  INVALID_RESOURCE: 'Invalid validation of resource',
  INVALID_NHS_NUMBER: 'Invalid NHS number',
  INVALID_IDENTIFIER_SYSTEM: 'Invalid identifier system',
  INVALID_IDENTIFIER_VALUE: 'Invalid identifier value',
  INVALID_PATIENT_DEMOGRAPHICS: 'Invalid patient demographics',
  NO_RECORD_FOUND: 'No record found',
  PATIENT_NOT_FOUND: 'Patient not found',
  ORGANISATION_NOT_FOUND: 'Organisation not found',
  PRACTITIONER_NOT_FOUND: 'Practitioner not found',
  REFERENCE_NOT_FOUND: 'Reference not found',
  NO_PATIENT_CONSENT: 'Patient has not provided consent to share data',
  NO_RELATIONSHIP: 'No legitimate relationship exists with this patient',
  // The value set's code has a space (GitHub nhsconnect/gpconnect #995); consumers must accept both.
  'ACCESS DENIED': 'Access denied',
  DUPLICATE_REJECTED: 'Create would lead to creation of a duplicate resource',
  FHIR_CONSTRAINT_VIOLATION: 'FHIR constraint violated',
  CONFLICTING_VALUES: 'Conflicting values have been specified in different fields',
  NOT_IMPLEMENTED: 'Not implemented',
  INTERNAL_SERVER_ERROR: 'Unexpected internal server error',
} as const;
export type SpineCode = keyof typeof spineDisplays;

interface Rendering {
  status: number;
  issue: string;
  spine: SpineCode;
}

/**
 * The one status table of the GP Connect face. Header, JWT and malformed-request errors are
 * 400 BAD_REQUEST; bad operation parameters 422 INVALID_PARAMETER; the SSP authenticates, so there
 * is no 401 here (a bad token is a malformed request).
 */
export const gpConnectStatusTable: Record<SimErrorCode, Rendering> = {
  'invalid-request': { status: 400, issue: 'invalid', spine: 'BAD_REQUEST' },
  'invalid-parameter': { status: 422, issue: 'invalid', spine: 'INVALID_PARAMETER' },
  'invalid-nhs-number': { status: 400, issue: 'value', spine: 'INVALID_NHS_NUMBER' },
  'invalid-identifier-system': { status: 400, issue: 'value', spine: 'INVALID_IDENTIFIER_SYSTEM' },
  'invalid-resource': { status: 422, issue: 'invalid', spine: 'INVALID_RESOURCE' },
  'not-found': { status: 404, issue: 'not-found', spine: 'NO_RECORD_FOUND' },
  'patient-not-found': { status: 404, issue: 'not-found', spine: 'PATIENT_NOT_FOUND' },
  'practice-not-found': { status: 404, issue: 'not-found', spine: 'ORGANISATION_NOT_FOUND' },
  'practitioner-not-found': { status: 404, issue: 'not-found', spine: 'PRACTITIONER_NOT_FOUND' },
  'method-not-allowed': { status: 405, issue: 'not-supported', spine: 'BAD_REQUEST' },
  'unsupported-media-type': { status: 415, issue: 'not-supported', spine: 'BAD_REQUEST' },
  'not-acceptable': { status: 415, issue: 'not-supported', spine: 'BAD_REQUEST' },
  'payload-too-large': { status: 413, issue: 'too-costly', spine: 'BAD_REQUEST' },
  conflict: { status: 409, issue: 'conflict', spine: 'FHIR_CONSTRAINT_VIOLATION' },
  duplicate: { status: 409, issue: 'duplicate', spine: 'DUPLICATE_REJECTED' },
  forbidden: { status: 403, issue: 'forbidden', spine: 'ACCESS DENIED' },
  'consent-withheld': { status: 403, issue: 'forbidden', spine: 'NO_PATIENT_CONSENT' },
  unauthorised: { status: 400, issue: 'invalid', spine: 'BAD_REQUEST' },
  'rate-limited': { status: 429, issue: 'throttled', spine: 'INTERNAL_SERVER_ERROR' },
  unavailable: { status: 503, issue: 'transient', spine: 'INTERNAL_SERVER_ERROR' },
  'not-implemented': { status: 501, issue: 'not-supported', spine: 'NOT_IMPLEMENTED' },
  internal: { status: 500, issue: 'processing', spine: 'INTERNAL_SERVER_ERROR' },
};

/** A SimError may name a more precise Spine code (e.g. INVALID_PATIENT_DEMOGRAPHICS) in detail.spineCode. */
function spineCodeOf(error: SimError, fallback: SpineCode): SpineCode {
  const wanted = error.detail?.['spineCode'];
  return typeof wanted === 'string' && wanted in spineDisplays ? (wanted as SpineCode) : fallback;
}

export function operationOutcome(severity: 'error' | 'warning', issue: string, spine: SpineCode, diagnostics: string) {
  return {
    resourceType: 'OperationOutcome',
    meta: { profile: [OPERATION_OUTCOME_PROFILE] },
    issue: [
      {
        severity,
        code: issue,
        details: { coding: [{ system: SPINE_ERROR_SYSTEM, code: spine, display: spineDisplays[spine] }] },
        diagnostics,
      },
    ],
  };
}

/** Format the caller asked for; a request whose format is itself unsupported is answered in JSON. */
function formatFor(request: SimRequest): GpcFormat {
  try {
    return responseFormat(request);
  } catch {
    return 'json';
  }
}

/**
 * A body (JSON or XML as negotiated, domain.md §1.2) with the headers every GP Connect response
 * carries; gzip when the client accepts it.
 */
/** A body already written as JSON (large Bundles assembled from cached parts), with its value for XML. */
export class SerialisedJson {
  constructor(
    readonly json: Buffer,
    readonly value: () => unknown,
  ) {}
}

export function gpcResponse(
  request: SimRequest,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimResponse {
  const xml = formatFor(request) === 'xml';
  const text =
    body instanceof SerialisedJson
      ? xml
        ? toStu3Xml(body.value())
        : body.json
      : xml
        ? toStu3Xml(body)
        : JSON.stringify(body);
  const all: Record<string, string> = {
    'Content-Type': xml ? FHIR_XML : FHIR_JSON,
    'Cache-Control': 'no-store',
    ...headers,
  };
  if (/\bgzip\b/i.test(request.headers['accept-encoding'] ?? '')) {
    // Fastest level: at the default (6) compressing a multi-megabyte record cost more CPU than building it.
    const body = gzipSync(text, { level: zlibConstants.Z_BEST_SPEED });
    return { status, headers: { ...all, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }, body };
  }
  return { status, headers: all, body: text };
}

/** Renders a domain error as a GP Connect OperationOutcome; diagnostics tell the caller what to fix. */
export function renderGpConnectError(error: SimError, request: SimRequest): SimResponse {
  const rendering = gpConnectStatusTable[error.code];
  const spine = spineCodeOf(error, rendering.spine);
  const issue = spine === 'INVALID_PATIENT_DEMOGRAPHICS' ? 'business-rule' : rendering.issue;
  return gpcResponse(request, rendering.status, operationOutcome('error', issue, spine, error.message));
}
