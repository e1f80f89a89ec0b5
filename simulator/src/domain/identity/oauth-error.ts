import type { SimErrorCode } from '../errors';
import { SimError } from '../errors';

/** The OAuth 2 / SMART error vocabulary (RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'invalid_token';

const domainCodes: Record<OAuthErrorCode, SimErrorCode> = {
  invalid_request: 'invalid-request',
  invalid_client: 'unauthorised',
  invalid_grant: 'invalid-request',
  unauthorized_client: 'forbidden',
  unsupported_grant_type: 'invalid-request',
  unsupported_response_type: 'invalid-request',
  invalid_scope: 'invalid-request',
  access_denied: 'forbidden',
  invalid_token: 'unauthorised',
};

/** A SimError carrying its OAuth error code, so the OAuth surface can answer in RFC 6749 terms. */
export function oauthError(code: OAuthErrorCode, message: string, field?: string): SimError {
  return new SimError(domainCodes[code], message, { detail: { oauth: code }, ...(field ? { field } : {}) });
}

export function oauthCodeOf(error: SimError): OAuthErrorCode | undefined {
  const code = error.detail?.['oauth'];
  return typeof code === 'string' ? (code as OAuthErrorCode) : undefined;
}
