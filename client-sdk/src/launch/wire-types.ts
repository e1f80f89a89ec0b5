/**
 * SMART App Launch 2 and OAuth 2 wire shapes (hl7.org/fhir/smart-app-launch; RFC 6749, RFC 9396),
 * as plain types. The one place to swap for contract-derived types.
 */
export interface SmartConfiguration {
  issuer?: string;
  authorization_endpoint: string;
  token_endpoint: string;
  introspection_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  grant_types_supported?: string[];
  scopes_supported?: string[];
  code_challenge_methods_supported?: string[];
  capabilities?: string[];
  [field: string]: unknown;
}

/** The EMIS-X–style context an authorization_details entry carries (patient, user, organisation). */
export interface EmisXContext {
  patient?: { id: string; nhsNumber: string; name: string; birthDate: string };
  user?: { username: string; name: string; role: string; sdsUserId: string; sdsRoleProfileId: string };
  organisation?: { odsCode: string; name: string };
}

export interface AuthorizationDetail {
  type: string;
  locations?: string[];
  fhirVersions?: string[];
  scope?: string;
  patient?: string;
  encounter?: string;
  context?: EmisXContext;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer' | string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  patient?: string;
  encounter?: string;
  need_patient_banner?: boolean;
  smart_style_url?: string;
  fhirContext?: { reference: string }[];
  authorization_details?: AuthorizationDetail[];
}
