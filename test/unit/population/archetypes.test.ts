import { archetypeKeys } from '@gpsim/simulator/domain/archetypes';
import { countEntries } from '@gpsim/simulator/domain/clinical-record';
import type { RecordEntry } from '@gpsim/simulator/domain/clinical-record';
import type { Patient } from '@gpsim/simulator/domain/patient';
import { isShareable } from '@gpsim/simulator/domain/patient-access';
import { GP_CONNECT_DOCUMENT_LIMIT_BYTES } from '@gpsim/simulator/population/record/documents';
import { defaultPopulation } from '../../support/population';

const population = defaultPopulation();

function archetype(key: (typeof archetypeKeys)[number], practiceIndex = 0): Patient {
  const practice = population.practices[practiceIndex];
  const patient = practice && population.patientAt(practice, archetypeKeys.indexOf(key));
  if (!patient) throw new Error(`no ${key}`);
  return patient;
}

function entriesOf(patient: Patient): RecordEntry[] {
  return Object.values(population.record(patient)).flat() as RecordEntry[];
}

describe('archetype patients (one per key per practice, at fixed list positions)', () => {
  it.each(population.practices.map((practice) => [practice.ods, practice.index]))(
    'practice %s has every archetype at its index',
    (_ods, practiceIndex) => {
      archetypeKeys.forEach((key, index) => {
        const practice = population.practices[practiceIndex as number];
        expect(practice && population.patientAt(practice, index)?.archetype).toBe(key);
      });
    },
  );

  it('standard: a full record with every clinical area, a linked referral, an active and an ended allergy', () => {
    const patient = archetype('standard');
    const record = population.record(patient);
    expect(isShareable(patient)).toBe(true);
    expect(record.problems.length).toBeGreaterThan(0);
    expect(record.medications.some((m) => m.prescriptionType === 'repeat' && m.status === 'active')).toBe(true);
    expect(record.medications.some((m) => m.prescriptionType === 'acute')).toBe(true);
    expect(record.allergies.some((a) => a.clinicalStatus === 'active' && !a.noKnownAllergy)).toBe(true);
    expect(record.allergies.some((a) => a.clinicalStatus === 'resolved')).toBe(true);
    expect(record.observations.length).toBeGreaterThan(0);
    expect(record.investigations.length).toBeGreaterThan(0);
    expect(record.immunisations.length).toBeGreaterThan(0);
    expect(record.consultations.length).toBeGreaterThan(0);
    expect(record.documents.length).toBeGreaterThan(0);
    expect(record.referrals.some((referral) => referral.problemId !== undefined)).toBe(true);
    expect(record.diary.length).toBeGreaterThan(0);
    expect(record.appointments.some((appointment) => appointment.status === 'fulfilled')).toBe(true);
  });

  it('no-allergies: no allergy information at all, not even "No known allergy"', () => {
    for (let p = 0; p < population.practices.length; p++) {
      expect(population.record(archetype('no-allergies', p)).allergies).toEqual([]);
    }
  });

  it('sensitive: flagged S, so record sharing does not show them', () => {
    const patient = archetype('sensitive');
    expect(patient.sensitive).toBe(true);
    expect(isShareable(patient)).toBe(false);
  });

  it('deceased: has a date of death, an ended registration and no care after death', () => {
    const patient = archetype('deceased');
    expect(patient.deceasedDate).toBeDefined();
    expect(patient.registration.status).toBe('I');
    for (const entry of entriesOf(patient))
      expect(entry.date.slice(0, 10) <= (patient.deceasedDate as string)).toBe(true);
  });

  it('dissent: has dissented from sharing but is otherwise an ordinary active patient', () => {
    const patient = archetype('dissent');
    expect(patient.dissent).toBe(true);
    expect(patient.registration.status).toBe('A');
  });

  it('inactive: left the practice; nothing is recorded after leaving', () => {
    const patient = archetype('inactive');
    expect(patient.registration.status).toBe('I');
    expect(patient.registration.end).toBeDefined();
    for (const entry of entriesOf(patient))
      expect(entry.date.slice(0, 10) <= (patient.registration.end as string)).toBe(true);
  });

  it('temporary-resident: a temporary (non-GMS) registration', () => {
    expect(archetype('temporary-resident').registration.type).toBe('T');
  });

  it('unverified: NHS number present but not traced (02) and absent from PDS', () => {
    const patient = archetype('unverified');
    expect(patient.nhsNumberStatus).toBe('02');
    expect(patient.onPds).toBe(false);
  });

  it('in-transit: registered recently; the record holds nothing from before the transfer', () => {
    const patient = archetype('in-transit');
    expect(patient.inTransitSince).toBe(patient.registration.start);
    for (const entry of entriesOf(patient))
      expect(entry.date.slice(0, 10) >= (patient.inTransitSince as string)).toBe(true);
  });

  it('confidential-items: some entries are confidential, including a problem and its consultations', () => {
    const record = population.record(archetype('confidential-items'));
    expect(record.problems.some((problem) => problem.confidential)).toBe(true);
    expect(record.consultations.some((consultation) => consultation.confidential)).toBe(true);
    expect(entriesOf(archetype('confidential-items')).some((entry) => !entry.confidential)).toBe(true);
  });

  it('superseded: the old NHS number resolves to the current patient', () => {
    const patient = archetype('superseded');
    expect(patient.supersededNhsNumbers).toHaveLength(1);
    const old = patient.supersededNhsNumbers[0] as string;
    expect(old).not.toBe(patient.nhsNumber);
    const found = population.byNhsNumber(old);
    expect(found?.superseded).toBe(true);
    expect(found?.patient.nhsNumber).toBe(patient.nhsNumber);
  });

  it('large-record: thousands of entries', () => {
    expect(countEntries(population.record(archetype('large-record')))).toBeGreaterThanOrEqual(2000);
  });

  it('large-document: has a document over the 5 MB GP Connect retrieval limit', () => {
    const documents = population.record(archetype('large-document')).documents;
    expect(documents.some((document) => document.sizeBytes > GP_CONNECT_DOCUMENT_LIMIT_BYTES)).toBe(true);
  });

  it('duplicate-demographics: same name, sex and date of birth as the standard patient, another NHS number', () => {
    for (let p = 0; p < population.practices.length; p++) {
      const twin = archetype('duplicate-demographics', p);
      const standard = archetype('standard', p);
      expect(twin.name.family).toBe(standard.name.family);
      expect(twin.name.given).toEqual(standard.name.given);
      expect(twin.birthDate).toBe(standard.birthDate);
      expect(twin.sex).toBe(standard.sex);
      expect(twin.nhsNumber).not.toBe(standard.nhsNumber);
      expect(twin.address).not.toEqual(standard.address);
    }
  });

  it('every other list position is an ordinary patient with no archetype', () => {
    const practice = population.practices[0];
    expect(practice && population.patientAt(practice, archetypeKeys.length)?.archetype).toBeUndefined();
  });
});
