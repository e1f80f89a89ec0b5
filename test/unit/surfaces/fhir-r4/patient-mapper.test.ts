import { archetypeKeys } from '@gpsim/simulator/domain/archetypes';
import type { ArchetypeKey } from '@gpsim/simulator/domain/archetypes';
import type { Practice } from '@gpsim/simulator/domain/estate';
import type { Patient } from '@gpsim/simulator/domain/patient';
import { PATIENT_PROFILE, toUkCorePatient } from '@gpsim/simulator/surfaces/fhir-r4/patient-mapper';
import { defaultPopulation } from '../../../support/population';

const population = defaultPopulation({ practices: 2, patientsPerPractice: 400 });
const practice = population.practices[0] as Practice;

function archetype(key: ArchetypeKey): Patient {
  const patient = population.patientAt(practice, archetypeKeys.indexOf(key));
  if (!patient) throw new Error(`no ${key}`);
  return patient;
}

interface MappedPatient {
  identifier: { extension: { valueCodeableConcept: { coding: { code: string; display: string }[] } }[] }[];
  [element: string]: unknown;
}

function map(patient: Patient): MappedPatient {
  return toUkCorePatient(population, patient, population.practiceOf(patient)) as unknown as MappedPatient;
}

function findPatient(test: (patient: Patient) => boolean): Patient {
  for (let index = archetypeKeys.length; index < practice.listSize; index++) {
    const patient = population.patientAt(practice, index);
    if (patient && test(patient)) return patient;
  }
  throw new Error('no such patient in the list');
}

describe('UK Core R4 Patient mapping', () => {
  it('claims the UKCore-Patient profile and carries the NHS number with its England verification status', () => {
    const patient = archetype('standard');
    const resource = map(patient);
    expect(resource.meta).toEqual({ profile: [PATIENT_PROFILE] });
    expect(resource.identifier).toEqual([
      {
        extension: [
          {
            url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
            valueCodeableConcept: {
              coding: [
                {
                  system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
                  code: '01',
                  display: 'Number present and verified',
                },
              ],
            },
          },
        ],
        system: 'https://fhir.nhs.uk/Id/nhs-number',
        value: patient.nhsNumber,
      },
    ]);
  });

  it('shows an untraced number with status 02', () => {
    const coding = map(archetype('unverified')).identifier[0]?.extension[0]?.valueCodeableConcept.coding[0];
    expect(coding).toMatchObject({ code: '02', display: 'Number present but not traced' });
  });

  it('maps name, gender, birth date, address and telecom as recorded', () => {
    const patient = archetype('standard');
    expect(map(patient)).toMatchObject({
      id: patient.id,
      active: true,
      name: [{ use: 'official', family: patient.name.family, given: patient.name.given }],
      gender: patient.sex,
      birthDate: patient.birthDate,
      address: [{ use: 'home', line: patient.address.line, postalCode: patient.address.postalCode }],
    });
  });

  it('names the registered practice as generalPractitioner and managingOrganization by ODS code', () => {
    const resource = map(archetype('standard'));
    const expected = { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: practice.ods };
    expect(resource['generalPractitioner']).toEqual([expect.objectContaining({ identifier: expected })]);
    expect(resource['managingOrganization']).toEqual(expect.objectContaining({ identifier: expected }));
  });

  it('shows a deceased patient as inactive with their date of death and no current GP', () => {
    const patient = archetype('deceased');
    const resource = map(patient);
    expect(resource['active']).toBe(false);
    expect(resource['deceasedDateTime']).toBe(patient.deceasedDate);
    expect(resource['generalPractitioner']).toBeUndefined();
    expect(resource['managingOrganization']).toBeDefined();
  });

  it('records the language of a patient who does not speak English, and whether they need an interpreter', () => {
    const patient = findPatient(
      (candidate) => candidate.language.code !== 'en' && candidate.language.interpreterRequired,
    );
    const resource = map(patient);
    expect(resource['communication']).toEqual([
      {
        language: {
          coding: [{ system: 'urn:ietf:bcp:47', code: patient.language.code, display: patient.language.display }],
        },
        preferred: true,
      },
    ]);
    expect(resource['extension']).toEqual([
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired', valueBoolean: true },
    ]);
  });

  it('leaves communication out for English speakers', () => {
    const patient = findPatient((candidate) => candidate.language.code === 'en');
    expect(map(patient)['communication']).toBeUndefined();
  });
});
