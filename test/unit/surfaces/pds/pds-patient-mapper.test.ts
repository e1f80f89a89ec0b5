import { archetypeKeys } from '@gpsim/simulator/domain/archetypes';
import type { ArchetypeKey } from '@gpsim/simulator/domain/archetypes';
import type { Practice } from '@gpsim/simulator/domain/estate';
import type { Patient } from '@gpsim/simulator/domain/patient';
import { toPdsPatient } from '@gpsim/simulator/surfaces/pds/pds-patient-mapper';
import { defaultPopulation } from '../../../support/population';

const population = defaultPopulation({ practices: 1, patientsPerPractice: 400 });
const practice = population.practices[0] as Practice;

function archetype(key: ArchetypeKey): Patient {
  const patient = population.patientAt(practice, archetypeKeys.indexOf(key));
  if (!patient) throw new Error(`no ${key}`);
  return patient;
}

const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

describe('PDS Patient mapping (schemas/Patient.yaml, sandbox/mocks/Patient.json)', () => {
  it('uses the NHS number as id and labels an ordinary patient U "unrestricted" (schemas/Meta.yaml lines 10-14)', () => {
    const patient = archetype('standard');
    expect(toPdsPatient(patient, practice.ods, 'retrieval')).toMatchObject({
      resourceType: 'Patient',
      id: patient.nhsNumber,
      identifier: [
        {
          system: 'https://fhir.nhs.uk/Id/nhs-number',
          value: patient.nhsNumber,
          extension: [
            {
              valueCodeableConcept: {
                coding: [
                  {
                    system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus',
                    version: '1.0.0',
                    code: '01',
                  },
                ],
              },
            },
          ],
        },
      ],
      meta: { versionId: '1', security: [{ system: CONFIDENTIALITY, code: 'U', display: 'unrestricted' }] },
      name: [{ use: 'usual', family: patient.name.family, given: patient.name.given }],
      generalPractitioner: [
        {
          type: 'Organization',
          identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: practice.ods },
        },
      ],
    });
  });

  it('removes address, telecom and registered GP of a restricted patient and labels them R (patient-get.yaml lines 14-17)', () => {
    const resource = toPdsPatient(archetype('sensitive'), practice.ods, 'retrieval');
    expect(resource['meta']).toEqual({
      versionId: '1',
      security: [{ system: CONFIDENTIALITY, code: 'R', display: 'restricted' }],
    });
    expect(resource['address']).toBeUndefined();
    expect(resource['telecom']).toBeUndefined();
    expect(resource['generalPractitioner']).toBeUndefined();
    expect(resource['birthDate']).toBe(archetype('sensitive').birthDate);
  });

  it('writes phone numbers without spaces, as PDS holds them', () => {
    const patient = archetype('standard');
    const telecom = toPdsPatient(patient, practice.ods, 'retrieval')['telecom'] as { system: string; value: string }[];
    expect(telecom.filter((entry) => entry.system === 'phone').every((entry) => !entry.value.includes(' '))).toBe(true);
  });

  it('gives a deceased patient their date of death, a death notification status and no GP', () => {
    const patient = archetype('deceased');
    const resource = toPdsPatient(patient, practice.ods, 'retrieval');
    expect(resource['deceasedDateTime']).toBe(`${patient.deceasedDate}T00:00:00+00:00`);
    expect(resource['generalPractitioner']).toBeUndefined();
    expect(resource['extension']).toEqual([
      expect.objectContaining({
        url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus',
      }),
    ]);
  });

  it('leaves communication details out of search results (patient-search.yaml lines 42-48)', () => {
    let speaker: Patient | undefined;
    for (let index = archetypeKeys.length; !speaker && index < practice.listSize; index++) {
      const candidate = population.patientAt(practice, index);
      if (candidate?.language.code !== 'en' && candidate?.deceasedDate === undefined) speaker = candidate;
    }
    if (!speaker) throw new Error('no patient speaks another language');
    expect(toPdsPatient(speaker, practice.ods, 'retrieval')['extension']).toEqual([
      expect.objectContaining({ url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSCommunication' }),
    ]);
    expect(toPdsPatient(speaker, practice.ods, 'search')['extension']).toBeUndefined();
  });
});
