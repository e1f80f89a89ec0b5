import { z } from 'zod';

/** RFC 6749 §5.2 error codes, plus the SMART/OIDC ones gpsim renders. */
export const oauthErrorCodes = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'invalid_token',
  'insufficient_scope',
  'login_required',
  'consent_required',
  'not_found',
  'method_not_allowed',
  'rate_limited',
] as const;

export const OAuthError = z.object({
  error: z
    .string()
    .min(1)
    .describe(`An RFC 6749 §5.2 code, e.g. ${oauthErrorCodes.slice(0, 4).join(', ')}.`),
  error_description: z.string().optional(),
});

/** RFC 6749 §5.1 token response, with SMART App Launch 2 context (patient, encounter, id_token). */
export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^[Bb]earer$/),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  patient: z.string().optional(),
  encounter: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const TokenRequest = z.looseObject({
  grant_type: z.enum(['authorization_code', 'refresh_token', 'client_credentials']),
  code: z.string().max(2000).optional(),
  redirect_uri: z.string().max(2000).optional(),
  code_verifier: z.string().min(43).max(128).optional().describe('PKCE (RFC 7636), required for public clients.'),
  refresh_token: z.string().max(4000).optional(),
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(500).optional(),
  scope: z.string().max(2000).optional(),
});

/** .well-known/smart-configuration (SMART App Launch 2.x, conformance). */
export const SmartConfiguration = z.looseObject({
  issuer: z.string().optional(),
  jwks_uri: z.string().optional(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  grant_types_supported: z.array(z.string()).optional(),
  scopes_supported: z.array(z.string()).optional(),
  response_types_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).min(1),
  capabilities: z.array(z.string()).min(1),
});
export type SmartConfiguration = z.infer<typeof SmartConfiguration>;

/** .well-known/openid-configuration (OpenID Connect Discovery 1.0 §3: required metadata). */
export const OpenIdConfiguration = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string().optional(),
  jwks_uri: z.string(),
  response_types_supported: z.array(z.string()).min(1),
  subject_types_supported: z.array(z.string()).min(1),
  id_token_signing_alg_values_supported: z.array(z.string()).min(1),
});

/** RFC 7517 JSON Web Key Set. */
export const Jwks = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional() })) });

/** RFC 7662 §2.2 introspection: `active` is the one required member. */
export const IntrospectionResponse = z.looseObject({ active: z.boolean() });
