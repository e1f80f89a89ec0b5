import type { Practice } from '../../domain/estate';
import { NHS_NUMBER_SYSTEM } from '../../domain/nhs-number';
import type { Patient } from '../../domain/patient';
import { nhsNumberStatusDisplays } from '../../domain/patient';
import { isActiveRegistration } from '../../domain/patient-access';
import type { Population } from '../../population/population';
import type { Extension, FhirResource } from './fhir-types';
import { ukCoreProfile } from './fhir-types';
import { organizationReference } from './references';

export const PATIENT_PROFILE = ukCoreProfile('UKCore-Patient');
const VERIFICATION_STATUS_EXTENSION = ukCoreProfile('Extension-UKCore-NHSNumberVerificationStatus');
/** UK Core's England code system for the verification status (UKCORE codesystems/…VerificationStatusEngland.xml). */
const VERIFICATION_STATUS_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland';
/** UK Core-Patient slices this core extension (UKCORE structuredefinitions/UKCore-Patient.xml). */
const INTERPRETER_REQUIRED_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired';
/** UK Core-Patient binds communication.language to all-languages, i.e. BCP 47 codes. */
const LANGUAGE_SYSTEM = 'urn:ietf:bcp:47';

/**
 * A patient as a UK Core R4 Patient. The record is the practice's own, so it is shown as the
 * practice holds it: `active` follows the registration, deceased patients carry their date of
 * death, and the registered practice is `generalPractitioner` only while the registration lasts.
 */
export function toUkCorePatient(population: Population, patient: Patient, practice: Practice): FhirResource {
  const organization = organizationReference(population, practice);
  const english = patient.language.code === 'en';
  const extension: Extension[] = patient.language.interpreterRequired
    ? [{ url: INTERPRETER_REQUIRED_EXTENSION, valueBoolean: true }]
    : [];
  return {
    resourceType: 'Patient',
    id: patient.id,
    meta: { profile: [PATIENT_PROFILE] },
    ...(extension.length > 0 ? { extension } : {}),
    identifier: [
      {
        extension: [
          {
            url: VERIFICATION_STATUS_EXTENSION,
            valueCodeableConcept: {
              coding: [
                {
                  system: VERIFICATION_STATUS_SYSTEM,
                  code: patient.nhsNumberStatus,
                  display: nhsNumberStatusDisplays[patient.nhsNumberStatus],
                },
              ],
            },
          },
        ],
        system: NHS_NUMBER_SYSTEM,
        value: patient.nhsNumber,
      },
    ],
    active: isActiveRegistration(patient),
    name: [
      {
        use: 'official',
        family: patient.name.family,
        given: patient.name.given,
        ...(patient.name.prefix ? { prefix: [patient.name.prefix] } : {}),
      },
    ],
    ...(patient.telecom.length > 0
      ? {
          telecom: patient.telecom.map((telecom) => ({
            system: telecom.system,
            value: telecom.value,
            use: telecom.use,
          })),
        }
      : {}),
    gender: patient.sex,
    birthDate: patient.birthDate,
    ...(patient.deceasedDate ? { deceasedDateTime: patient.deceasedDate } : {}),
    address: [
      {
        use: 'home',
        type: 'both',
        line: patient.address.line,
        city: patient.address.city,
        ...(patient.address.district ? { district: patient.address.district } : {}),
        postalCode: patient.address.postalCode,
      },
    ],
    ...(isActiveRegistration(patient) ? { generalPractitioner: [organization] } : {}),
    managingOrganization: organization,
    ...(english
      ? {}
      : {
          communication: [
            {
              language: {
                coding: [{ system: LANGUAGE_SYSTEM, code: patient.language.code, display: patient.language.display }],
              },
              preferred: true,
            },
          ],
        }),
  };
}
