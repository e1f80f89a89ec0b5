import type { Practice, PracticeLocation, StaffUser } from '../../domain/estate';
import type { Population } from '../../population/population';
import type { Resource } from './stu3';
import {
  ODS_ORGANIZATION_CODE,
  ODS_SITE_CODE,
  SDS_JOB_ROLE,
  SDS_ROLE_PROFILE_ID,
  SDS_USER_ID,
  organizationId,
  practitionerRoleId,
  profile,
} from './stu3';

/** The estate is computed from the seed, so directory resources never change version. */
export const DIRECTORY_VERSION = '1';

function address(value: Practice['address']) {
  return {
    use: 'work',
    type: 'physical',
    line: value.line,
    city: value.city,
    ...(value.district ? { district: value.district } : {}),
    postalCode: value.postalCode,
  };
}

/** CareConnect-GPC-Organization-1 (GPC foundations_use_case_read_an_organisation.md). */
export function toGpcOrganization(population: Population, practice: Practice): Resource {
  return {
    resourceType: 'Organization',
    id: organizationId(population, practice),
    meta: { versionId: DIRECTORY_VERSION, profile: [profile('CareConnect-GPC-Organization-1')] },
    identifier: [{ system: ODS_ORGANIZATION_CODE, value: practice.ods }],
    name: practice.name,
    telecom: [{ system: 'phone', value: practice.phone, use: 'work' }],
    address: [address(practice.address)],
  };
}

/** CareConnect-GPC-Practitioner-1: SDS user id and role profile ids, name, gender. */
export function toGpcPractitioner(member: StaffUser): Resource {
  return {
    resourceType: 'Practitioner',
    id: member.id,
    meta: { versionId: DIRECTORY_VERSION, profile: [profile('CareConnect-GPC-Practitioner-1')] },
    identifier: [
      { system: SDS_USER_ID, value: member.sdsUserId },
      { system: SDS_ROLE_PROFILE_ID, value: member.sdsRoleProfileId },
    ],
    name: [{ use: 'usual', family: member.family, given: [member.given], prefix: [member.prefix] }],
    gender: member.sex,
  };
}

/** CareConnect-GPC-PractitionerRole-1 with the SDS job role (e.g. R0260 General Medical Practitioner). */
export function toGpcPractitionerRole(population: Population, practice: Practice, member: StaffUser): Resource {
  return {
    resourceType: 'PractitionerRole',
    id: practitionerRoleId(population, practice, member),
    meta: { profile: [profile('CareConnect-GPC-PractitionerRole-1')] },
    practitioner: { reference: `Practitioner/${member.id}` },
    organization: { reference: `Organization/${organizationId(population, practice)}` },
    code: [{ coding: [{ system: SDS_JOB_ROLE, code: member.jobRole.code, display: member.jobRole.display }] }],
  };
}

/** CareConnect-GPC-Location-1: a site of the practice. */
export function toGpcLocation(population: Population, practice: Practice, location: PracticeLocation): Resource {
  return {
    resourceType: 'Location',
    id: location.id,
    meta: { versionId: DIRECTORY_VERSION, profile: [profile('CareConnect-GPC-Location-1')] },
    identifier: [{ system: ODS_SITE_CODE, value: location.siteCode }],
    status: 'active',
    name: location.name,
    telecom: [{ system: 'phone', value: location.phone, use: 'work' }],
    address: address(location.address),
    managingOrganization: { reference: `Organization/${organizationId(population, practice)}` },
  };
}
