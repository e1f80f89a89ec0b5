import type { Practice, StaffUser } from '../../domain/estate';
import type { Population } from '../../population/population';

/** The loosely typed FHIR STU3 JSON the mappers build. */
export interface Resource {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}

export const NHS_PROFILE = 'https://fhir.nhs.uk/STU3/StructureDefinition/';
export const profile = (name: string) => `${NHS_PROFILE}${name}`;
export const SNOMED = 'http://snomed.info/sct';
export const ODS_ORGANIZATION_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** Accepted alongside the current system by the reference implementation (DEMO FhirRequestAuthInterceptor). */
export const LEGACY_ODS_ORGANIZATION_CODE = 'http://fhir.nhs.net/Id/ods-organization-code';
export const ODS_SITE_CODE = 'https://fhir.nhs.uk/Id/ods-site-code';
export const SDS_USER_ID = 'https://fhir.nhs.uk/Id/sds-user-id';
export const SDS_ROLE_PROFILE_ID = 'https://fhir.nhs.uk/Id/sds-role-profile-id';
export const SDS_JOB_ROLE = 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1';

/** The supplier namespace for persistent business identifiers of record items (GPC resources overview). */
export function dataIdentifierSystem(practice: Practice): string {
  return practice.system === 'emis' ? 'https://emis.co.uk/Id/data-identifier' : 'https://tpp-uk.com/Id/data-identifier';
}

const practiceIds = new WeakMap<Practice, string>();

export function organizationId(population: Population, practice: Practice): string {
  let id = practiceIds.get(practice);
  if (id === undefined) {
    id = population.estate.ids.encode('practice', practice.index, 0);
    practiceIds.set(practice, id);
  }
  return id;
}

export function practiceForOrganizationId(population: Population, id: string): Practice | undefined {
  const decoded = population.decodeId(id, 'practice');
  return decoded && decoded.n === 0 ? population.practices[decoded.owner] : undefined;
}

export function practitionerRoleId(population: Population, practice: Practice, member: StaffUser): string {
  return population.estate.ids.encode('practitioner-role', practice.index, member.index);
}

export function versionOf(resource: Resource, versionId: string): Resource {
  const meta = (resource['meta'] ?? {}) as Record<string, unknown>;
  return { ...resource, meta: { versionId, ...meta } };
}
