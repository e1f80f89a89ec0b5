import type { Consultation, Medication, MedicationIssue } from '../../domain/clinical-record';
import { dateOfDay, dateTimeOfDay, dayNumber } from '../dates';
import type { MedicationRow } from '../reference-data';
import type { RecordContext } from './record-context';

/** Repeat prescriptions are issued for 28 days at a time, the usual GP practice cycle. */
const REPEAT_CYCLE_DAYS = 28;
/** Issue history kept for current repeats: the last three years, as structured record tests expect. */
const ISSUE_HISTORY_DAYS = 3 * 365;

interface Supply {
  quantity: number;
  unit: string;
  durationDays: number;
}

/** How much is supplied per issue, read from the dose text and form of the dm+d table. */
export function supplyFor(row: MedicationRow, acute: boolean): Supply {
  const dose = row.doseText.toLowerCase();
  const form = row.form.toLowerCase();
  const courseDays = /for (\d+)/.exec(dose);
  const durationDays = acute ? Number(courseDays?.[1] ?? 7) : REPEAT_CYCLE_DAYS;
  if (form.includes('inhaler')) return { quantity: 1, unit: 'inhaler', durationDays: acute ? 30 : REPEAT_CYCLE_DAYS };
  if (form.includes('spray')) return { quantity: 1, unit: 'spray', durationDays: 84 };
  if (form.includes('injection'))
    return { quantity: 5, unit: 'pre-filled disposable injection', durationDays: REPEAT_CYCLE_DAYS };
  if (form.includes('solution'))
    return { quantity: row.term.startsWith('Morphine') ? 100 : 300, unit: 'ml', durationDays };
  if (form.includes('cream') || form.includes('gel')) return { quantity: 30, unit: 'gram', durationDays: 30 };
  const perDay = timesPerDay(dose) * unitsPerDose(dose);
  const unit = form.includes('capsule') ? 'capsule' : 'tablet';
  if (dose.includes('once a week')) return { quantity: 4 * unitsPerDose(dose), unit, durationDays };
  return { quantity: Math.max(1, perDay * durationDays), unit, durationDays };
}

function timesPerDay(dose: string): number {
  if (dose.includes('every 4 hours')) return 6;
  if (dose.includes('five times')) return 5;
  if (dose.includes('four times')) return 4;
  if (dose.includes('three times')) return 3;
  if (dose.includes('twice') || dose.includes('two times')) return 2;
  return 1;
}

function unitsPerDose(dose: string): number {
  if (dose.startsWith('six to eight')) return 6;
  if (dose.startsWith('two to four')) return 2;
  if (dose.startsWith('one or two') || dose.startsWith('two ')) return 2;
  return 1;
}

function quantityText(supply: Supply): string {
  return `${supply.quantity} ${supply.unit}`;
}

export interface CourseOptions {
  code: string;
  startDay: number;
  /** Last day of treatment for a stopped repeat; open-ended when absent. */
  stopDay?: number;
  consultation?: Consultation;
  problemId?: string;
}

/**
 * A long-term medicine as GP systems hold it: an authorisation with its issues. Courses older than
 * the issue history become a completed historical authorisation followed by the current one.
 */
export function addRepeatCourse(context: RecordContext, options: CourseOptions): Medication[] {
  const row = medicationRow(context, options.code);
  const supply = supplyFor(row, false);
  const lastDay = Math.min(options.stopDay ?? context.endDay, context.endDay);
  const cutDay = context.endDay - ISSUE_HISTORY_DAYS;
  const courses: Medication[] = [];
  if (options.startDay < cutDay && lastDay > cutDay) {
    courses.push(authorisation(context, row, supply, options.startDay, cutDay, 'completed', options, false));
    courses.push(authorisation(context, row, supply, cutDay, lastDay, statusFor(options, context), options, true));
  } else {
    courses.push(
      authorisation(
        context,
        row,
        supply,
        options.startDay,
        lastDay,
        statusFor(options, context),
        options,
        lastDay > cutDay,
      ),
    );
  }
  return courses;
}

/** A one-off prescription (antibiotic course, rescue pack, flare treatment). */
export function addAcuteCourse(context: RecordContext, options: CourseOptions): Medication {
  const row = medicationRow(context, options.code);
  const supply = supplyFor(row, true);
  const issueDay = options.startDay;
  const startTime = options.consultation?.date ?? dateTimeOfDay(issueDay, 9 * 60);
  const medication: Medication = {
    kind: 'medication',
    id: context.id('medication'),
    date: startTime.slice(0, 10),
    recorded: startTime,
    recorderIndex: options.consultation?.recorderIndex ?? context.clinician('gp'),
    ...(options.consultation ? { consultationId: options.consultation.id } : {}),
    concept: { code: row.code, display: row.term },
    form: row.form,
    dosageText: row.doseText,
    quantityText: quantityText(supply),
    durationDays: supply.durationDays,
    prescriptionType: 'acute',
    status: 'completed',
    endDate: dateOfDay(issueDay + supply.durationDays),
    issues: [
      {
        id: context.id('medication-issue'),
        date: dateOfDay(issueDay),
        quantityText: quantityText(supply),
        durationDays: supply.durationDays,
      },
    ],
    ...(options.problemId ? { problemId: options.problemId } : {}),
  };
  context.record.medications.push(medication);
  if (options.consultation) context.link(options.consultation, medication.id);
  return medication;
}

function statusFor(options: CourseOptions, context: RecordContext): Medication['status'] {
  if (options.stopDay !== undefined && options.stopDay < context.endDay) return 'stopped';
  // Care ended early (death, leaving the practice): the course ended with it.
  return context.endDay < dayNumber(context.estate.spec.populationDate) ? 'completed' : 'active';
}

function authorisation(
  context: RecordContext,
  row: MedicationRow,
  supply: Supply,
  fromDay: number,
  toDay: number,
  status: Medication['status'],
  options: CourseOptions,
  withIssues: boolean,
): Medication {
  const issues: MedicationIssue[] = [];
  if (withIssues) {
    for (let day = fromDay; day <= toDay; day += supply.durationDays + context.rng.int(4)) {
      issues.push({
        id: context.id('medication-issue'),
        date: dateOfDay(day),
        quantityText: quantityText(supply),
        durationDays: supply.durationDays,
      });
    }
  }
  const recorded =
    options.consultation && fromDay === options.startDay
      ? options.consultation.date
      : dateTimeOfDay(fromDay, 9 * 60 + context.rng.int(480));
  const medication: Medication = {
    kind: 'medication',
    id: context.id('medication'),
    date: dateOfDay(fromDay),
    recorded,
    recorderIndex: options.consultation?.recorderIndex ?? context.clinician('gp'),
    ...(options.consultation && fromDay === options.startDay ? { consultationId: options.consultation.id } : {}),
    concept: { code: row.code, display: row.term },
    form: row.form,
    dosageText: row.doseText,
    quantityText: quantityText(supply),
    durationDays: supply.durationDays,
    prescriptionType: 'repeat',
    status,
    ...(status === 'active' ? {} : { endDate: dateOfDay(toDay) }),
    issues,
    ...(options.problemId ? { problemId: options.problemId } : {}),
    repeatsAllowed: 6,
  };
  context.record.medications.push(medication);
  if (medication.consultationId && options.consultation) context.link(options.consultation, medication.id);
  return medication;
}

function medicationRow(context: RecordContext, code: string): MedicationRow {
  const row = context.reference.medications.get(code);
  if (!row) throw new Error(`medication ${code} is not in fixtures/codes/medications.csv`);
  return row;
}
