import type { SimErrorCode } from '../../domain/errors';
import { SimError } from '../../domain/errors';
import type { SimRequest, SimResponse } from '../../transport/types';
import { el } from '../shared/xml';

/**
 * Stable error codes of gpsim's SystmOne Client Integration emulation. The real codes are in TPP's
 * pairing pack, which is not public, so these names are gpsim's own (approximate); they never change.
 */
export const systmOneErrorCodes = [
  'InvalidAPIKey',
  'DeviceNotRegistered',
  'FunctionNotEnabled',
  'PatientNotFound',
  'SensitiveRecord',
  'Throttled',
  'SlotAlreadyBooked',
  'DeviceNotTrusted',
  'UserNotLoggedIn',
  'UserNotAuthorised',
  'MalformedXML',
  'UnknownFunction',
  'UnsupportedFunctionVersion',
  'WrongClinicalSystem',
  'InvalidParameter',
  'RequestTooLarge',
  'PracticeNotFound',
  'NotFound',
  'Unavailable',
  'InternalError',
] as const;
export type SystmOneErrorCode = (typeof systmOneErrorCodes)[number];

/** HTTP status (for the HTTP carriage) and default XML code of each domain error. */
const statusTable: Record<SimErrorCode, [number, SystmOneErrorCode]> = {
  'invalid-request': [400, 'MalformedXML'],
  'invalid-parameter': [400, 'InvalidParameter'],
  'invalid-nhs-number': [400, 'InvalidParameter'],
  'invalid-identifier-system': [400, 'InvalidParameter'],
  'invalid-resource': [422, 'InvalidParameter'],
  'not-found': [404, 'NotFound'],
  'patient-not-found': [404, 'PatientNotFound'],
  'practice-not-found': [404, 'PracticeNotFound'],
  'practitioner-not-found': [404, 'NotFound'],
  'method-not-allowed': [405, 'UnknownFunction'],
  'unsupported-media-type': [415, 'MalformedXML'],
  'not-acceptable': [406, 'MalformedXML'],
  'payload-too-large': [413, 'RequestTooLarge'],
  conflict: [409, 'InvalidParameter'],
  duplicate: [409, 'InvalidParameter'],
  forbidden: [403, 'FunctionNotEnabled'],
  'consent-withheld': [403, 'SensitiveRecord'],
  unauthorised: [401, 'InvalidAPIKey'],
  'rate-limited': [429, 'Throttled'],
  unavailable: [503, 'Unavailable'],
  'not-implemented': [400, 'UnknownFunction'],
  internal: [500, 'InternalError'],
};

/** A domain error carrying its SystmOne code, when the generic mapping is not precise enough. */
export function systmOneError(
  code: SimErrorCode,
  systmone: SystmOneErrorCode,
  message: string,
  field?: string,
): SimError {
  return new SimError(code, message, { ...(field ? { field } : {}), detail: { systmone } });
}

/** The request fields a response echoes (whatever could be read before the failure). */
export interface EchoFields {
  deviceId?: string;
  requestUid?: string;
  function?: string;
  functionVersion?: string;
}

export function errorCodeOf(error: SimError): SystmOneErrorCode {
  if (error.detail?.['reason'] === 'role') return 'UserNotAuthorised';
  const specific = error.detail?.['systmone'];
  return typeof specific === 'string' && (systmOneErrorCodes as readonly string[]).includes(specific)
    ? (specific as SystmOneErrorCode)
    : statusTable[error.code][1];
}

export function errorDocument(error: SimError, echo: EchoFields, responseUid: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>${
    el(
      'ClientIntegrationResponse',
      null,
      echoElements(echo),
      el('ResponseUID', null, responseUid),
      el(
        'Error',
        null,
        el('Code', null, errorCodeOf(error)),
        el('Message', null, error.message),
        error.field ? el('Field', null, error.field) : undefined,
      ),
    ).xml
  }`;
}

export function echoElements(echo: EchoFields): { xml: string }[] {
  return [
    el('DeviceID', null, echo.deviceId ?? ''),
    el('RequestUID', null, echo.requestUid ?? ''),
    el('Function', null, echo.function ?? ''),
    el('FunctionVersion', null, echo.functionVersion ?? ''),
  ];
}

export function xmlResponse(status: number, body: string): SimResponse {
  return { status, headers: { 'content-type': 'application/xml; charset=utf-8' }, body };
}

export function httpStatusOf(error: SimError): number {
  return statusTable[error.code][0];
}

/** Errors raised before the request document could be read (routing, size): no fields to echo. */
export function renderSystmOneError(error: SimError, request: SimRequest): SimResponse {
  return xmlResponse(httpStatusOf(error), errorDocument(error, {}, request.traceId));
}
