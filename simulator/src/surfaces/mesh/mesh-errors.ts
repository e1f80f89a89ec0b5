import type { SimError, SimErrorCode } from '../../domain/errors';
import { jsonResponse } from '../../transport/json';
import type { SimRequest, SimResponse } from '../../transport/types';
import { apiVersion, V2_MEDIA_TYPE } from './mesh-version';

/** HTTP status of each domain error on the MESH API. */
const statusTable: Record<SimErrorCode, number> = {
  'invalid-request': 400,
  'invalid-parameter': 400,
  'invalid-nhs-number': 400,
  'invalid-identifier-system': 400,
  'invalid-resource': 400,
  'not-found': 404,
  'patient-not-found': 404,
  'practice-not-found': 404,
  'practitioner-not-found': 404,
  'method-not-allowed': 405,
  'unsupported-media-type': 415,
  'not-acceptable': 406,
  'payload-too-large': 413,
  conflict: 409,
  duplicate: 409,
  forbidden: 403,
  'consent-withheld': 403,
  unauthorised: 403,
  'rate-limited': 429,
  unavailable: 503,
  'not-implemented': 501,
  internal: 500,
};

/**
 * Where MESH answers a spec error code with its own status (mesh-sandbox handlers/outbox.py,
 * common/constants.py): unregistered recipient and chunk-header errors are 417, a missing data
 * file 417, a message no longer available 410.
 */
const meshCodeStatus: Readonly<Record<string, number>> = {
  '02': 417,
  '12': 417,
  InvalidHeaderChunks: 417,
  'Message already accepted': 410,
};

/** Renders an error as MESH does: v1 `{errorEvent, errorCode, errorDescription}`, v2 `{internal_id, detail:[{event, code, msg}]}`. */
export function renderMeshError(error: SimError, request: SimRequest): SimResponse {
  const meshCode = typeof error.detail?.meshCode === 'string' ? error.detail.meshCode : '';
  const meshEvent = typeof error.detail?.meshEvent === 'string' ? error.detail.meshEvent : '';
  const status = meshCodeStatus[meshCode] ?? statusTable[error.code];
  if (apiVersion(request) === 2) {
    return jsonResponse(
      status,
      { internal_id: request.traceId, detail: [{ event: meshEvent, code: meshCode, msg: error.message }] },
      { 'Content-Type': V2_MEDIA_TYPE },
    );
  }
  return jsonResponse(status, { errorEvent: meshEvent, errorCode: meshCode, errorDescription: error.message });
}
