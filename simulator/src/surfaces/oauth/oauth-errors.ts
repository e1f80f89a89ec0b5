import type { SimError, SimErrorCode } from '../../domain/errors';
import type { OAuthErrorCode } from '../../domain/identity/oauth-error';
import { oauthCodeOf } from '../../domain/identity/oauth-error';
import { jsonResponse } from '../../transport/json';
import type { SimRequest, SimResponse } from '../../transport/types';

/** Status of each OAuth error (RFC 6749 §5.2: 400, or 401 for client authentication; RFC 6750 §3.1). */
const oauthStatus: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  invalid_token: 401,
};

/** The one status table of the OAuth face: domain errors without an OAuth code of their own. */
const domainTable: Record<SimErrorCode, [number, OAuthErrorCode | 'server_error' | 'temporarily_unavailable']> = {
  'invalid-request': [400, 'invalid_request'],
  'invalid-parameter': [400, 'invalid_request'],
  'invalid-nhs-number': [400, 'invalid_request'],
  'invalid-identifier-system': [400, 'invalid_request'],
  'invalid-resource': [400, 'invalid_request'],
  'not-found': [404, 'invalid_request'],
  'patient-not-found': [404, 'invalid_request'],
  'practice-not-found': [404, 'invalid_request'],
  'practitioner-not-found': [404, 'invalid_request'],
  'method-not-allowed': [405, 'invalid_request'],
  'unsupported-media-type': [415, 'invalid_request'],
  'not-acceptable': [406, 'invalid_request'],
  'payload-too-large': [413, 'invalid_request'],
  conflict: [409, 'invalid_request'],
  duplicate: [409, 'invalid_request'],
  forbidden: [403, 'access_denied'],
  'consent-withheld': [403, 'access_denied'],
  unauthorised: [401, 'invalid_client'],
  'rate-limited': [429, 'temporarily_unavailable'],
  unavailable: [503, 'temporarily_unavailable'],
  'not-implemented': [501, 'server_error'],
  internal: [500, 'server_error'],
};

/** RFC 6749 error JSON; token responses and errors are never cached (SMART app-launch.md). */
export function renderOAuthError(error: SimError, _request?: SimRequest): SimResponse {
  const oauth = oauthCodeOf(error);
  const [status, code] = oauth ? [oauthStatus[oauth], oauth] : domainTable[error.code];
  const headers: Record<string, string> = { Pragma: 'no-cache' };
  if (code === 'invalid_client') headers['WWW-Authenticate'] = 'Basic realm="gpsim"';
  if (code === 'invalid_token') headers['WWW-Authenticate'] = `Bearer error="invalid_token"`;
  return jsonResponse(status, { error: code, error_description: error.message }, headers);
}
