import type { Practice } from '../../domain/estate';
import type { Population } from '../../population/population';
import type { FhirResource } from './fhir-types';
import { ukCoreProfile } from './fhir-types';
import { ODS_ORGANIZATION_CODE, organizationId } from './references';

export const ORGANIZATION_PROFILE = ukCoreProfile('UKCore-Organization');

/** A practice as a UK Core Organization, identified by its ODS code. */
export function toUkCoreOrganization(population: Population, practice: Practice): FhirResource {
  return {
    resourceType: 'Organization',
    id: organizationId(population, practice),
    meta: { profile: [ORGANIZATION_PROFILE] },
    identifier: [{ use: 'official', system: ODS_ORGANIZATION_CODE, value: practice.ods }],
    active: true,
    name: practice.name,
    telecom: [{ system: 'phone', value: practice.phone, use: 'work' }],
    address: [
      {
        use: 'work',
        type: 'both',
        line: practice.address.line,
        city: practice.address.city,
        ...(practice.address.district ? { district: practice.address.district } : {}),
        postalCode: practice.address.postalCode,
      },
    ],
  };
}
