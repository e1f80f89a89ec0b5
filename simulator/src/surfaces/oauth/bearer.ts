import { oauthError } from '../../domain/identity/oauth-error';
import type { SimRequest } from '../../transport/types';

/** The token of an `Authorization: Bearer` header (RFC 6750 §2.1). */
export function bearerToken(request: SimRequest): string {
  const authorization = request.headers['authorization'] ?? '';
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  if (!match?.[1]) {
    throw oauthError(
      'invalid_token',
      'Send an access token as "Authorization: Bearer {token}": get one from /oauth/token (see /.well-known/smart-configuration).',
    );
  }
  return match[1];
}
