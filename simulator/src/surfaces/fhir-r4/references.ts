import type { Practice } from '../../domain/estate';
import type { Patient } from '../../domain/patient';
import type { Population } from '../../population/population';
import type { Reference } from './fhir-types';

export const ODS_ORGANIZATION_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const ODS_SITE_CODE = 'https://fhir.nhs.uk/Id/ods-site-code';
export const SDS_USER_ID = 'https://fhir.nhs.uk/Id/sds-user-id';

const practiceIds = new WeakMap<Practice, string>();

/** A practice's Organization id: a decodable id of kind "practice", minted once per practice. */
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

export function organizationReference(population: Population, practice: Practice): Reference {
  return {
    reference: `Organization/${organizationId(population, practice)}`,
    identifier: { system: ODS_ORGANIZATION_CODE, value: practice.ods },
    display: practice.name,
  };
}

export function patientReference(patient: Patient): Reference {
  return { reference: `Patient/${patient.id}` };
}

/** The staff member at a practice as a reference, or undefined for an index the practice lacks. */
export function practitionerReference(practice: Practice, staffIndex: number): Reference | undefined {
  const member = practice.staff[staffIndex];
  if (!member) return undefined;
  return { reference: `Practitioner/${member.id}`, display: `${member.prefix} ${member.given} ${member.family}` };
}

/** Everything a record mapper needs besides the entry: whose record, and at which practice. */
export interface MappingContext {
  population: Population;
  patient: Patient;
  practice: Practice;
}
