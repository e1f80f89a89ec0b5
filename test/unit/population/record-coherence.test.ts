import type { ClinicalRecord } from '@gpsim/simulator/domain/clinical-record';
import type { Patient } from '@gpsim/simulator/domain/patient';
import { ageOn } from '@gpsim/simulator/population/dates';
import { defaultPopulation } from '../../support/population';

/** Related entries hang together: a condition brings its treatment and its monitoring. */
describe('coherent coded records', () => {
  const population = defaultPopulation();
  const practice = population.practices[1];
  if (!practice) throw new Error('no practice');
  const patients: { patient: Patient; record: ClinicalRecord }[] = [];
  for (let index = 14; index < practice.listSize; index++) {
    const patient = population.patientAt(practice, index) as Patient;
    patients.push({ patient, record: population.record(patient) });
  }
  const date = population.estate.spec.populationDate;
  const diagnosedOverAYearAgo = (record: ClinicalRecord, codes: string[]) =>
    record.problems.some(
      (problem) =>
        codes.includes(problem.concept.code) &&
        problem.date.slice(0, 10) < `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`,
    );

  const HBA1C = '999791000000106';
  const METFORMIN = ['42084911000001109', '39113511000001101'];
  const T2_CODES = ['44054006', '313436004', '237599002'];
  const HYPERTENSION_CODES = ['59621000', '38341003', '843821000000102', '846371000000103'];
  const BLOOD_PRESSURE = '75367002';

  it('type 2 diabetics diagnosed over a year ago have HbA1c results, and most take metformin', () => {
    const diabetics = patients.filter(({ record }) => diagnosedOverAYearAgo(record, T2_CODES));
    expect(diabetics.length).toBeGreaterThan(40);
    for (const { record } of diabetics) expect(record.observations.some((o) => o.concept.code === HBA1C)).toBe(true);
    const onMetformin = diabetics.filter(({ record }) =>
      record.medications.some((m) => METFORMIN.includes(m.concept.code)),
    );
    expect(onMetformin.length / diabetics.length).toBeGreaterThan(0.7);
  });

  it('hypertensives diagnosed over a year ago have blood pressure readings, and most an antihypertensive linked to the problem', () => {
    const hypertensives = patients.filter(({ record }) => diagnosedOverAYearAgo(record, HYPERTENSION_CODES));
    expect(hypertensives.length).toBeGreaterThan(150);
    for (const { record } of hypertensives)
      expect(record.observations.some((o) => o.concept.code === BLOOD_PRESSURE)).toBe(true);
    const treated = hypertensives.filter(({ record }) => {
      const problem = record.problems.find((p) => HYPERTENSION_CODES.includes(p.concept.code));
      return record.medications.some((m) => m.problemId === problem?.id && m.prescriptionType === 'repeat');
    });
    expect(treated.length / hypertensives.length).toBeGreaterThan(0.75);
  });

  it('records blood pressure as systolic and diastolic components with the systolic higher', () => {
    for (const { record } of patients.slice(0, 300)) {
      for (const observation of record.observations.filter((o) => o.concept.code === BLOOD_PRESSURE)) {
        const [systolic, diastolic] = observation.components ?? [];
        expect(systolic?.concept.code).toBe('271649006');
        expect(diastolic?.concept.code).toBe('271650006');
        expect((systolic?.value ?? 0) > (diastolic?.value ?? 0)).toBe(true);
      }
    }
  });

  it('groups lab results under an investigation report that lists them', () => {
    for (const { record } of patients.slice(0, 300)) {
      const ids = new Set(record.observations.map((o) => o.id));
      for (const report of record.investigations) for (const id of report.resultIds) expect(ids.has(id)).toBe(true);
      for (const observation of record.observations.filter((o) => o.category === 'laboratory')) {
        expect(record.investigations.some((report) => report.id === observation.reportId)).toBe(true);
      }
    }
  });

  it('links consultation entries to consultations that exist, and never dates an entry after the population date', () => {
    for (const { record } of patients.slice(0, 300)) {
      const consultationIds = new Set(record.consultations.map((c) => c.id));
      for (const entries of Object.values(record)) {
        for (const entry of entries as { consultationId?: string; date: string }[]) {
          if (entry.consultationId) expect(consultationIds.has(entry.consultationId)).toBe(true);
          expect(entry.date.slice(0, 10) <= date).toBe(true);
        }
      }
    }
  });

  it('issues repeat medication every cycle for the last three years, none before a course started', () => {
    for (const { record } of patients.slice(0, 300)) {
      for (const medication of record.medications) {
        for (const issue of medication.issues) expect(issue.date >= medication.date).toBe(true);
      }
    }
  });

  it('does not prescribe penicillins to patients with an active penicillin allergy', () => {
    const PENICILLIN_ALLERGY = ['91936005', '294505008', '292954005'];
    const PENICILLINS = ['39732411000001106', '41953811000001101', '39692211000001107', '39732211000001107'];
    const allergic = patients.filter(({ record }) =>
      record.allergies.some((a) => PENICILLIN_ALLERGY.includes(a.concept.code) && a.clinicalStatus === 'active'),
    );
    expect(allergic.length).toBeGreaterThan(20);
    for (const { record } of allergic) {
      const allergyDate = record.allergies.find((a) => PENICILLIN_ALLERGY.includes(a.concept.code))?.date ?? '';
      const after = record.medications.filter((m) => m.date >= allergyDate.slice(0, 10));
      expect(after.some((m) => PENICILLINS.includes(m.concept.code))).toBe(false);
    }
  });

  it('books every surgery, telephone and video consultation into an appointment, and no home visit', () => {
    let missed = 0;
    for (const { record } of patients.slice(0, 400)) {
      const booked = new Map(record.appointments.filter((a) => a.consultationId).map((a) => [a.consultationId, a]));
      for (const consultation of record.consultations) {
        const appointment = booked.get(consultation.id);
        if (consultation.type === 'home-visit') expect(appointment).toBeUndefined();
        else {
          expect(appointment?.status).toBe('fulfilled');
          expect(appointment?.date.slice(0, 13)).toBe(consultation.date.slice(0, 13));
          expect(appointment && appointment.end > appointment.date).toBe(true);
        }
      }
      missed += record.appointments.filter((a) => a.status === 'noshow').length;
    }
    expect(missed).toBeGreaterThan(0);
  });

  it('gives children their routine immunisations and no adult programmes', () => {
    const children = patients.filter(
      ({ patient }) => ageOn(patient.birthDate, date) >= 2 && ageOn(patient.birthDate, date) < 10,
    );
    expect(children.length).toBeGreaterThan(50);
    const withMmr = children.filter(({ record }) =>
      record.immunisations.some((i) => i.concept.code === '308081000000105'),
    );
    expect(withMmr.length / children.length).toBeGreaterThan(0.85);
    for (const { record } of children) {
      expect(record.immunisations.some((i) => ['12866006', '859641000000109'].includes(i.concept.code))).toBe(false);
    }
  });
});
