import type { ClinicalRecord, RecordEntry } from '../domain/clinical-record';
import type { Practice } from '../domain/estate';
import type { Patient } from '../domain/patient';
import { dayNumber } from './dates';
import type { Estate } from './estate-generator';
import type { ReferenceData } from './reference-data';
import { addAllergies } from './record/allergies';
import { addAppointments } from './record/appointments';
import { contraceptives } from './record/condition-catalogue';
import { addDiary, addDocuments, addReferralLetters } from './record/documents';
import { addImmunisationDissent, addImmunisations } from './record/immunisations';
import { addRepeatCourse } from './record/medication-courses';
import { drawPhysiology, recordLifestyle, recordVitals } from './record/monitoring';
import { addAcuteIllness, addEpisodes, addLongTermConditions } from './record/problems';
import { RecordContext } from './record/record-context';

/**
 * The computed GP record of a patient: a pure function of the estate seed and the patient. Entries
 * hang together (a diabetic has HbA1c results and metformin, a hypertensive has BP readings and an
 * antihypertensive) because each condition brings its own treatment and monitoring.
 */
export function generateRecord(
  estate: Estate,
  reference: ReferenceData,
  practice: Practice,
  patient: Patient,
): ClinicalRecord {
  const context = new RecordContext(estate, reference, practice, patient);
  const physiology = drawPhysiology(context);

  addAllergies(context);
  addHealthChecks(context, physiology);
  addLongTermConditions(context, physiology);
  addEpisodes(context);
  addAcuteIllness(context);
  addContraception(context);
  addImmunisations(context);
  addDocuments(context);
  addDiary(context);
  addAppointments(context);
  addReferralLetters(context);
  if (context.archetype === 'standard') addImmunisationDissent(context);
  if (context.archetype === 'confidential-items') markConfidentialItems(context);

  const record = context.record;
  for (const entries of Object.values(record) as RecordEntry[][]) entries.sort(byDate);
  return record;
}

/** The new-patient check at registration and routine health checks: lifestyle, BP, weight. */
function addHealthChecks(context: RecordContext, physiology: ReturnType<typeof drawPhysiology>): void {
  if (context.age < 16) return;
  const registrationDay = dayNumber(context.patient.registration.start);
  const checkDays = new Set<number>();
  if (registrationDay >= context.windowStartDay && registrationDay <= context.endDay)
    checkDays.add(context.weekday(registrationDay, registrationDay + 20));
  for (const day of context.occurrences(context.windowStartDay, context.endDay, context.age >= 40 ? 0.25 : 0.15))
    checkDays.add(day);
  for (const day of [...checkDays].sort((a, b) => a - b)) {
    const consultation = context.consultation(day, {
      role: context.rng.chance(0.6) ? 'hca' : 'nurse',
      type: 'surgery',
      narrative: [
        day === registrationDay ? 'New patient registration check.' : 'Health check.',
        'Lifestyle advice given.',
      ],
    });
    recordLifestyle(context, consultation);
    recordVitals(context, physiology, 'blood-pressure', consultation);
    recordVitals(context, physiology, 'bmi', consultation);
  }
}

function addContraception(context: RecordContext): void {
  const { patient, rng } = context;
  if (patient.sex !== 'female' || context.age < 16 || context.age > 45 || !rng.chance(0.3)) return;
  const startDay = context.weekday(Math.max(context.windowStartDay, context.dayAtAge(16)), context.endDay);
  const consultation = context.consultation(startDay, {
    role: 'nurse',
    narrative: ['Contraception review. BP and BMI checked.'],
  });
  addRepeatCourse(context, { code: rng.pick(contraceptives), startDay, consultation });
}

/**
 * The confidential-items archetype: a mental health problem, its treatment and the consultations
 * about it are marked confidential, so record sharing withholds them and says so.
 */
function markConfidentialItems(context: RecordContext): void {
  const record = context.record;
  const target =
    record.problems.find((problem) =>
      ['35489007', '310495003', '310496002', '191616006'].includes(problem.concept.code),
    ) ?? record.problems[0];
  if (!target) return;
  const withheld = new Set<string>([target.id, ...target.linkedIds]);
  // A withheld referral's letter is withheld with it.
  for (const referral of record.referrals)
    if (withheld.has(referral.id) && referral.letterId) withheld.add(referral.letterId);
  for (const consultation of record.consultations) {
    if (consultation.problemIds.includes(target.id)) {
      withheld.add(consultation.id);
      for (const id of consultation.entryIds) withheld.add(id);
    }
  }
  for (const entries of Object.values(record) as RecordEntry[][]) {
    for (const entry of entries) {
      const fromWithheldConsultation =
        entry.kind === 'appointment' && entry.consultationId !== undefined && withheld.has(entry.consultationId);
      if (withheld.has(entry.id) || fromWithheldConsultation) entry.confidential = true;
    }
  }
}

function byDate(a: RecordEntry, b: RecordEntry): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
