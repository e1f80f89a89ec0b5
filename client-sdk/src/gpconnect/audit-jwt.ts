/** Who is asking, as the GP Connect audit JWT names them (GPC integration_cross_organisation_audit_and_provenance.md). */
export interface RequestingPractitioner {
  /** The consumer system's local id for the user; also the JWT `sub`. */
  id: string;
  sdsUserId: string;
  sdsRoleProfileId: string;
  /** The spec requires both family and given names. */
  family: string;
  given: string[];
  prefix?: string[];
}

export interface RequestingOrganization {
  odsCode: string;
  name: string;
}

export interface RequestingDevice {
  identifier: { system: string; value: string };
  model: string;
  version: string;
}

export interface AuditIdentity {
  /** The consumer system's URL: the JWT `iss`. */
  issuer: string;
  requestingPractitioner: RequestingPractitioner;
  requestingOrganization: RequestingOrganization;
  requestingDevice: RequestingDevice;
}

/**
 * The JWT requested_scope. Migration may add a confidentiality suffix: conf/R asks for restricted
 * (sensitive) items, conf/N for normal ones only (GPC 1.6 accessrecord_structured_development_migrate_patient_record).
 */
export type RequestedScope =
  | 'patient/*.read'
  | 'patient/*.write'
  | 'organization/*.read'
  | 'organization/*.write'
  | 'patient/*.read conf/N'
  | 'patient/*.read conf/R';

/** Why the record is requested: direct care, or moving it to a new practice (the migrate interactions). */
export type ReasonForRequest = 'directcare' | 'migration';

/** The spec's lifetime: exp is exactly iat + 300 seconds. */
const LIFETIME_S = 300;

const base64url = (value: unknown): string => {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** An unsigned JWT (alg none, empty signature), minted fresh for one request. */
export function auditJwt(
  identity: AuditIdentity,
  audience: string,
  scope: RequestedScope,
  nowMs: number,
  reason: ReasonForRequest = 'directcare',
): string {
  const iat = Math.floor(nowMs / 1000);
  const { requestingPractitioner: practitioner, requestingOrganization: organization } = identity;
  const claims = {
    iss: identity.issuer,
    sub: practitioner.id,
    aud: audience,
    exp: iat + LIFETIME_S,
    iat,
    reason_for_request: reason,
    requested_scope: scope,
    requesting_device: {
      resourceType: 'Device',
      ...identity.requestingDevice,
      identifier: [identity.requestingDevice.identifier],
    },
    requesting_organization: {
      resourceType: 'Organization',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: organization.odsCode }],
      name: organization.name,
    },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: practitioner.id,
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: practitioner.sdsUserId },
        { system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: practitioner.sdsRoleProfileId },
      ],
      name: [
        {
          family: practitioner.family,
          given: practitioner.given,
          ...(practitioner.prefix ? { prefix: practitioner.prefix } : {}),
        },
      ],
    },
  };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
}
