import { launchScopes } from '../../domain/identity/scopes';

/**
 * SMART configuration (HL7 smart-app-launch conformance.md; reference/domain.md §3.1 item 3):
 * S256 is the only PKCE method (never `plain`), capabilities say what this server does.
 */
export function smartConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    issuer: baseUrl,
    jwks_uri: `${baseUrl}/oauth/jwks`,
    authorization_endpoint: `${baseUrl}/oauth/authorize`,
    token_endpoint: `${baseUrl}/oauth/token`,
    introspection_endpoint: `${baseUrl}/oauth/introspect`,
    userinfo_endpoint: `${baseUrl}/oauth/userinfo`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'ES256', 'ES384'],
    scopes_supported: [...launchScopes, 'patient/*.rs', 'user/*.rs', 'system/*.rs', 'patient/*.read', 'user/*.read'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'authorize-post',
      'client-public',
      'client-confidential-symmetric',
      'client-confidential-asymmetric',
      'sso-openid-connect',
      'context-banner',
      'context-style',
      'context-ehr-patient',
      'context-ehr-encounter',
      'context-standalone-patient',
      'permission-offline',
      'permission-online',
      'permission-patient',
      'permission-user',
      'permission-v1',
      'permission-v2',
    ],
  };
}

/** OpenID Connect discovery (the staff login, CIS2-like). */
export function openidConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    ...smartConfiguration(baseUrl),
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: [
      'sub',
      'name',
      'given_name',
      'family_name',
      'uid',
      'email',
      'fhirUser',
      'nhsid_useruid',
      'nhsid_nrbac_roles',
      'selected_roleid',
    ],
  };
}
