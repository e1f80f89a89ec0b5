import { NHS_NUMBER_SYSTEM } from '../../domain/nhs-number';
import type { Patient } from '../../domain/patient';
import { nhsNumberStatusDisplays } from '../../domain/patient';
import { isActiveRegistration, isRestricted, withheldFields } from '../../domain/patient-access';

/**
 * A patient as PDS FHIR returns them (specification/components/schemas/Patient.yaml and the
 * sandbox examples sandbox/mocks/Patient.json, Sensitive_Patient.json). The id is the NHS number.
 */

/** PDS has no version history in gpsim: demographics never change, so every record is version 1. */
export const PDS_VERSION_ID = '1';

const ODS_ORGANIZATION_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** PDS codes the verification status in UK Core's NHSNumberVerificationStatus system, version 1.0.0. */
const VERIFICATION_STATUS_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus';
const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

/**
 * `retrieval` is the full record (GET /Patient/{id}); `search` is what a search returns, which
 * leaves out communication details among others (patient-search.yaml lines 30-48).
 */
export type PdsView = 'retrieval' | 'search';

/**
 * Restricted (sensitive) patients lose address, telecom and registered GP and carry the
 * confidentiality label R "restricted"; everyone else is U "unrestricted" (schemas/Meta.yaml lines 10-14).
 * `registeredOds` is the registered GP practice PDS holds (domain/pds-registration.ts).
 */
export function toPdsPatient(patient: Patient, registeredOds: string, view: PdsView): Record<string, unknown> {
  const withheld = new Set<string>(withheldFields(patient));
  const extension: Record<string, unknown>[] = [];
  if (view === 'retrieval' && patient.language.code !== 'en') {
    extension.push({
      url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSCommunication',
      extension: [
        {
          url: 'language',
          valueCodeableConcept: {
            coding: [
              {
                system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-HumanLanguage',
                version: '1.0.0',
                code: patient.language.code,
                display: patient.language.display,
              },
            ],
          },
        },
        { url: 'interpreterRequired', valueBoolean: patient.language.interpreterRequired },
      ],
    });
  }
  if (patient.deceasedDate) {
    extension.push({
      url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus',
      extension: [
        {
          url: 'deathNotificationStatus',
          valueCodeableConcept: {
            coding: [
              {
                system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus',
                version: '1.0.0',
                code: '2',
                display: 'Formal - death notice received from Registrar of Deaths',
              },
            ],
          },
        },
        { url: 'systemEffectiveDate', valueDateTime: `${patient.deceasedDate}T00:00:00+00:00` },
      ],
    });
  }
  const { address } = patient;
  return {
    resourceType: 'Patient',
    id: patient.nhsNumber,
    identifier: [
      {
        system: NHS_NUMBER_SYSTEM,
        value: patient.nhsNumber,
        extension: [
          {
            url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
            valueCodeableConcept: {
              coding: [
                {
                  system: VERIFICATION_STATUS_SYSTEM,
                  version: '1.0.0',
                  code: patient.nhsNumberStatus,
                  display: nhsNumberStatusDisplays[patient.nhsNumberStatus],
                },
              ],
            },
          },
        ],
      },
    ],
    meta: {
      versionId: PDS_VERSION_ID,
      security: [
        isRestricted(patient)
          ? { system: CONFIDENTIALITY_SYSTEM, code: 'R', display: 'restricted' }
          : { system: CONFIDENTIALITY_SYSTEM, code: 'U', display: 'unrestricted' },
      ],
    },
    name: [
      {
        use: 'usual',
        given: patient.name.given,
        family: patient.name.family,
        ...(patient.name.prefix ? { prefix: [patient.name.prefix] } : {}),
      },
    ],
    gender: patient.sex,
    birthDate: patient.birthDate,
    ...(patient.deceasedDate ? { deceasedDateTime: `${patient.deceasedDate}T00:00:00+00:00` } : {}),
    ...(withheld.has('address')
      ? {}
      : {
          // PDS addresses are lines (street to county) plus the postcode (schemas/Address.yaml).
          address: [
            {
              use: 'home',
              line: [...address.line, address.city, ...(address.district ? [address.district] : [])],
              postalCode: address.postalCode,
            },
          ],
        }),
    ...(withheld.has('telecom') || patient.telecom.length === 0
      ? {}
      : {
          telecom: patient.telecom.map((telecom) => ({
            system: telecom.system,
            // PDS holds phone numbers without spaces (sandbox/mocks/Patient.json: "01632960587").
            value: telecom.system === 'phone' ? telecom.value.replace(/\s+/g, '') : telecom.value,
            use: telecom.use,
          })),
        }),
    ...(withheld.has('generalPractitioner') || !isActiveRegistration(patient)
      ? {}
      : {
          generalPractitioner: [
            {
              type: 'Organization',
              identifier: {
                system: ODS_ORGANIZATION_CODE,
                value: registeredOds,
                period: { start: patient.registration.start },
              },
            },
          ],
        }),
    ...(extension.length > 0 ? { extension } : {}),
  };
}
