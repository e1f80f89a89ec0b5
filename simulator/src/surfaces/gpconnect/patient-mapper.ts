import type { Practice, PracticeLocation } from '../../domain/estate';
import { NHS_NUMBER_SYSTEM } from '../../domain/nhs-number';
import type { Patient, RegistrationType } from '../../domain/patient';
import { nhsNumberStatusDisplays } from '../../domain/patient';
import type { Population } from '../../population/population';
import type { Resource } from './stu3';
import { organizationId, profile } from './stu3';

const VERIFICATION_EXTENSION = profile('Extension-CareConnect-GPC-NHSNumberVerificationStatus-1');
const VERIFICATION_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1';
const REGISTRATION_EXTENSION = profile('Extension-CareConnect-GPC-RegistrationDetails-1');
const REGISTRATION_TYPE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-RegistrationType-1';
const COMMUNICATION_EXTENSION = profile('Extension-CareConnect-GPC-NHSCommunication-1');
const LANGUAGE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1';

const registrationTypeDisplay: Record<RegistrationType, string> = {
  R: 'Regular',
  T: 'Temporary',
  E: 'Emergency',
  IN: 'Immediately necessary',
  P: 'Private',
  O: 'Other',
  S: 'Synthetic Record',
};

export interface PatientView {
  /** A version that changes when the patient's registration changes; absent inside a structured record. */
  versionId?: string;
  registrationType?: RegistrationType;
  registrationStart?: string;
}

/** The practice site the Patient resource names as its preferredBranchSurgery: the main site, else the first. */
export function preferredBranch(practice: Practice): PracticeLocation | undefined {
  return practice.locations.find((location) => location.main) ?? practice.locations[0];
}

/**
 * CareConnect-GPC-Patient-1 as GPC foundations_use_case_find_a_patient.md requires: versionId,
 * the NHS number with its verification status, one official name, birthDate, gender, address,
 * telecom, registrationDetails (preferred branch surgery, period, type), nhsCommunication and the
 * managing organisation; MUST NOT elements (ethnicity, religion, marital status...) never appear.
 */
export function toGpcPatient(
  population: Population,
  patient: Patient,
  practice: Practice,
  view: PatientView,
): Resource {
  const usualGp = practice.staff[patient.usualGpIndex];
  const main = preferredBranch(practice);
  const type = view.registrationType ?? patient.registration.type;
  const registration = [
    ...(main ? [{ url: 'preferredBranchSurgery', valueReference: { reference: `Location/${main.id}` } }] : []),
    { url: 'registrationPeriod', valuePeriod: { start: view.registrationStart ?? patient.registration.start } },
    {
      url: 'registrationType',
      valueCodeableConcept: {
        coding: [{ system: REGISTRATION_TYPE_SYSTEM, code: type, display: registrationTypeDisplay[type] }],
      },
    },
  ];
  return {
    resourceType: 'Patient',
    id: patient.id,
    meta: {
      ...(view.versionId === undefined ? {} : { versionId: view.versionId }),
      profile: [profile('CareConnect-GPC-Patient-1')],
    },
    extension: [
      { url: REGISTRATION_EXTENSION, extension: registration },
      {
        url: COMMUNICATION_EXTENSION,
        extension: [
          {
            url: 'language',
            valueCodeableConcept: {
              coding: [{ system: LANGUAGE_SYSTEM, code: patient.language.code, display: patient.language.display }],
            },
          },
          { url: 'interpreterRequired', valueBoolean: patient.language.interpreterRequired },
        ],
      },
    ],
    identifier: [
      {
        extension: [
          {
            url: VERIFICATION_EXTENSION,
            valueCodeableConcept: {
              coding: [
                {
                  system: VERIFICATION_SYSTEM,
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
    active: true,
    name: [
      {
        use: 'official',
        text: `${patient.name.family.toUpperCase()} ${patient.name.given.join(' ')}${patient.name.prefix ? ` (${patient.name.prefix})` : ''}`,
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
    address: [
      {
        use: 'home',
        type: 'physical',
        line: patient.address.line,
        city: patient.address.city,
        ...(patient.address.district ? { district: patient.address.district } : {}),
        postalCode: patient.address.postalCode,
      },
    ],
    ...(usualGp ? { generalPractitioner: [{ reference: `Practitioner/${usualGp.id}` }] } : {}),
    managingOrganization: { reference: `Organization/${organizationId(population, practice)}` },
  };
}
