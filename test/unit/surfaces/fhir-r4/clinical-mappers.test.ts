import { archetypeKeys } from '@gpsim/simulator/domain/archetypes';
import type { ClinicalRecord } from '@gpsim/simulator/domain/clinical-record';
import type { Practice } from '@gpsim/simulator/domain/estate';
import type { Patient } from '@gpsim/simulator/domain/patient';
import {
  profiles,
  toAllergyIntolerance,
  toDocumentReference,
  toEncounter,
  toImmunization,
  toMedicationStatement,
  toObservation,
} from '@gpsim/simulator/surfaces/fhir-r4/clinical-mappers';
import type { MappingContext } from '@gpsim/simulator/surfaces/fhir-r4/references';
import { defaultPopulation } from '../../../support/population';

const population = defaultPopulation({ practices: 2, patientsPerPractice: 400 });
const practice = population.practices[0] as Practice;
const patient = population.patientAt(practice, archetypeKeys.indexOf('standard')) as Patient;
const record: ClinicalRecord = population.record(patient);
const context: MappingContext = { population, patient, practice };

function first<T>(items: readonly T[], test: (item: T) => boolean): T {
  const found = items.find(test);
  if (found === undefined) throw new Error('the standard record lacks the entry this test needs');
  return found;
}

describe('UK Core R4 record mappers', () => {
  it('codes blood pressure with the LOINC codings UKCore-Observation-VitalSigns-BloodPressure requires', () => {
    const bp = first(record.observations, (observation) => observation.concept.code === '75367002');
    expect(toObservation(bp, context)).toMatchObject({
      meta: { profile: [profiles.bloodPressure] },
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: {
        coding: [
          { system: 'http://snomed.info/sct', code: '75367002' },
          { system: 'http://loinc.org', code: '85354-9' },
        ],
      },
      component: [
        {
          code: { coding: [{ code: '271649006' }, { code: '8480-6' }] },
          valueQuantity: { unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
        },
        { code: { coding: [{ code: '271650006' }, { code: '8462-4' }] } },
      ],
    });
  });

  it('gives lab results the Lab profile, a UCUM quantity and the reference range', () => {
    const result = first(
      record.observations,
      (observation) => observation.category === 'laboratory' && observation.referenceRange !== undefined,
    );
    expect(toObservation(result, context)).toMatchObject({
      meta: { profile: [profiles.labObservation] },
      subject: { reference: `Patient/${patient.id}` },
      valueQuantity: { value: result.value, unit: result.unit },
      referenceRange: [{ low: { value: result.referenceRange?.low }, high: { value: result.referenceRange?.high } }],
    });
  });

  it('puts the vaccination procedure in Extension-UKCore-VaccinationProcedure and does not invent a product', () => {
    const given = first(record.immunisations, (immunisation) => immunisation.status === 'completed');
    expect(toImmunization(given, context)).toMatchObject({
      extension: [
        {
          url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-VaccinationProcedure',
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: given.concept.code }] },
        },
      ],
      vaccineCode: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK' }] },
      occurrenceDateTime: given.date,
    });
  });

  it('shows an ended allergy as resolved with its end date, and with its category', () => {
    const ended = first(record.allergies, (allergy) => allergy.endDate !== undefined && !allergy.noKnownAllergy);
    expect(toAllergyIntolerance(ended, context)).toMatchObject({
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      extension: [{ extension: [{ url: 'endDate', valueDateTime: ended.endDate }] }],
      category: [ended.category],
    });
  });

  it('shows a "no known allergy" entry with its code only, without a category or type', () => {
    const entry = {
      ...first(record.allergies, () => true),
      noKnownAllergy: true,
      concept: { code: '716186003', display: 'No known allergy' },
    };
    const resource = toAllergyIntolerance(entry, context);
    expect(resource).toMatchObject({ code: { coding: [{ code: '716186003' }] } });
    expect(resource['category']).toBeUndefined();
    expect(resource['type']).toBeUndefined();
  });

  it('gives a medication course its last issue date', () => {
    const issued = first(record.medications, (medication) => medication.issues.length > 0);
    const lastIssue = issued.issues
      .map((issue) => issue.date)
      .sort()
      .at(-1);
    expect(toMedicationStatement(issued, context)).toMatchObject({
      extension: [
        {
          url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationStatementLastIssueDate',
          valueDateTime: lastIssue,
        },
      ],
      status: issued.status,
      dosage: [{ text: issued.dosageText }],
    });
  });

  it('gives a consultation its length, end time, clinician and the narrative as escaped XHTML', () => {
    const consultation = {
      ...first(record.consultations, (entry) => entry.date.length > 16),
      narrative: ['BP <140/90 & stable'],
    };
    const resource = toEncounter(consultation, context);
    expect(resource).toMatchObject({
      text: { div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>BP &lt;140/90 &amp; stable</p></div>' },
      participant: [{ individual: { reference: `Practitioner/${practice.staff[consultation.recorderIndex]?.id}` } }],
      length: { value: consultation.durationMinutes, code: 'min' },
    });
    const period = resource['period'] as { start: string; end: string };
    expect(Date.parse(period.end) - Date.parse(period.start)).toBe(consultation.durationMinutes * 60_000);
  });

  it('describes a document by its metadata, with an external author named by ODS code', () => {
    const document = first(record.documents, (entry) => entry.author.ods !== practice.ods);
    expect(toDocumentReference(document, context)).toMatchObject({
      author: [
        {
          identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: document.author.ods },
          display: document.author.name,
        },
      ],
      custodian: { identifier: { value: practice.ods } },
      content: [
        {
          attachment: {
            contentType: document.contentType,
            size: document.sizeBytes,
            title: document.title,
            creation: document.date,
          },
        },
      ],
    });
  });
});
