import type { oauth } from '@gpsim/contracts';

/**
 * SMART App Launch 2 and OAuth 2 wire shapes (hl7.org/fhir/smart-app-launch; RFC 6749, RFC 9396).
 * Discovery and the token response derive from the gpsim contracts; the RFC 9396 authorization
 * details gpsim adds for EMIS-X–style launches are typed here, where the client reads them.
 */
export type SmartConfiguration = oauth.SmartConfiguration;

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

/** RFC 6749 §5.1 token response with SMART context and, on EMIS-X–style launches, authorization details. */
export type TokenResponse = oauth.TokenResponse & {
  need_patient_banner?: boolean;
  smart_style_url?: string;
  fhirContext?: { reference: string }[];
  authorization_details?: AuthorizationDetail[];
};
