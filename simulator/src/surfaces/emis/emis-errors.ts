import type { SimError, SimErrorCode } from '../../domain/errors';
import { SimError as DomainError } from '../../domain/errors';
import type { SimRequest, SimResponse } from '../../transport/types';
import { emisResponse } from './emis-codec';

/**
 * Stable error codes of gpsim's EMIS partner API emulation (gpsim's own names: EMIS's real codes
 * come with the pairing pack; approximate). Rendered as Outcome=Failure with Error/Code.
 */
export const emisErrorCodes = [
  'InvalidCredentials',
  'SessionInvalid',
  'SessionExpired',
  'PartnerNotActivated',
  'FeatureNotEnabled',
  'UserNotFound',
  'UserNotAuthorised',
  'WrongClinicalSystem',
  'PatientNotFound',
  'SensitiveRecord',
  'OrganisationNotFound',
  'InvalidRequest',
  'InvalidParameter',
  'UnknownMethod',
  'RequestTooLarge',
  'NotFound',
  'Conflict',
  'SlotUnavailable',
  'ServiceUnavailable',
  'InternalError',
] as const;
export type EmisErrorCode = (typeof emisErrorCodes)[number];

const statusTable: Record<SimErrorCode, [number, EmisErrorCode]> = {
  'invalid-request': [400, 'InvalidRequest'],
  'invalid-parameter': [400, 'InvalidParameter'],
  'invalid-nhs-number': [400, 'InvalidParameter'],
  'invalid-identifier-system': [400, 'InvalidParameter'],
  'invalid-resource': [422, 'InvalidParameter'],
  'not-found': [404, 'NotFound'],
  'patient-not-found': [404, 'PatientNotFound'],
  'practice-not-found': [404, 'OrganisationNotFound'],
  'practitioner-not-found': [404, 'UserNotFound'],
  'method-not-allowed': [405, 'UnknownMethod'],
  'unsupported-media-type': [415, 'InvalidRequest'],
  'not-acceptable': [406, 'InvalidRequest'],
  'payload-too-large': [413, 'RequestTooLarge'],
  conflict: [409, 'Conflict'],
  duplicate: [409, 'Conflict'],
  forbidden: [403, 'FeatureNotEnabled'],
  'consent-withheld': [403, 'SensitiveRecord'],
  unauthorised: [401, 'SessionInvalid'],
  'rate-limited': [429, 'ServiceUnavailable'],
  unavailable: [503, 'ServiceUnavailable'],
  'not-implemented': [404, 'UnknownMethod'],
  internal: [500, 'InternalError'],
};

export function emisError(code: SimErrorCode, emis: EmisErrorCode, message: string, field?: string): SimError {
  return new DomainError(code, message, { ...(field ? { field } : {}), detail: { emis } });
}

function emisCodeOf(error: SimError): EmisErrorCode {
  if (error.detail?.['reason'] === 'role') return 'UserNotAuthorised';
  const specific = error.detail?.['emis'];
  return typeof specific === 'string' && (emisErrorCodes as readonly string[]).includes(specific)
    ? (specific as EmisErrorCode)
    : statusTable[error.code][1];
}

/** The method named by the path, for the response element name; "Emis" when there is none. */
function methodOf(request: SimRequest): string {
  const method = request.params['method'] ?? /\/emis\/partner-api\/([A-Za-z]{1,40})$/.exec(request.path)?.[1];
  return method ?? 'Emis';
}

export function renderEmisError(error: SimError, request: SimRequest): SimResponse {
  return emisResponse(request, statusTable[error.code][0], methodOf(request), {
    Outcome: 'Failure',
    Error: { Code: emisCodeOf(error), Description: error.message },
  });
}
