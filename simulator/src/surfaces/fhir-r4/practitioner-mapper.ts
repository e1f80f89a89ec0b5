import type { StaffUser } from '../../domain/estate';
import type { FhirResource, Identifier } from './fhir-types';
import { ukCoreProfile } from './fhir-types';
import { SDS_USER_ID } from './references';

export const PRACTITIONER_PROFILE = ukCoreProfile('UKCore-Practitioner');

/** Professional registers as UK Core names them (UKCORE examples use https://fhir.hl7.org.uk/Id/…-number). */
const professionalSystems: Record<NonNullable<StaffUser['professionalId']>['system'], string> = {
  gmc: 'https://fhir.hl7.org.uk/Id/gmc-number',
  nmc: 'https://fhir.hl7.org.uk/Id/nmc-number',
  gphc: 'https://fhir.hl7.org.uk/Id/gphc-number',
};

/** A member of practice staff as a UK Core Practitioner, identified by their SDS user id. */
export function toUkCorePractitioner(member: StaffUser): FhirResource {
  const identifier: Identifier[] = [{ system: SDS_USER_ID, value: member.sdsUserId }];
  if (member.professionalId) {
    identifier.push({ system: professionalSystems[member.professionalId.system], value: member.professionalId.value });
  }
  return {
    resourceType: 'Practitioner',
    id: member.id,
    meta: { profile: [PRACTITIONER_PROFILE] },
    identifier,
    active: true,
    name: [{ use: 'official', family: member.family, given: [member.given], prefix: [member.prefix] }],
    ...(member.email ? { telecom: [{ system: 'email', value: member.email, use: 'work' }] } : {}),
    gender: member.sex,
  };
}
