import type { ArchetypeKey } from '../../domain/archetypes';
import type {
  ClinicalRecord,
  Concept,
  Consultation,
  EntryBase,
  InvestigationReport,
  Observation,
} from '../../domain/clinical-record';
import { emptyRecord } from '../../domain/clinical-record';
import type { Practice, StaffRole } from '../../domain/estate';
import type { Patient } from '../../domain/patient';
import { ageOn, dateTimeOfDay, dayNumber } from '../dates';
import type { Estate } from '../estate-generator';
import type { IdKind } from '../ids';
import { Rng } from '../random';
import type { CodeRow, ReferenceData } from '../reference-data';
import { displayTerm } from '../reference-data';

export type CodeTable = 'problems' | 'observations' | 'medications' | 'allergies' | 'immunisations' | 'recordStructure';

/**
 * Everything the record generators share for one patient: their timeline, the practice's
 * clinicians, a private random stream and the record being built. Entries get ids in creation
 * order, so the same patient always yields the same ids.
 */
export class RecordContext {
  readonly rng: Rng;
  readonly record: ClinicalRecord = emptyRecord();
  readonly archetype: ArchetypeKey | undefined;
  /** Day numbers: birth, the first day the practice holds history for, and the last day of care. */
  readonly birthDay: number;
  readonly historyStartDay: number;
  readonly endDay: number;
  readonly age: number;
  /** How many years back routine care (reviews, acute illness) is generated. */
  readonly horizonYears: number;
  /** Multiplies every rate of care: the large-record archetype is seen far more often. */
  readonly intensity: number;
  penicillinAllergic = false;
  private nextEntry = 0;
  private readonly staffByRole = new Map<StaffRole, number[]>();

  constructor(
    readonly estate: Estate,
    readonly reference: ReferenceData,
    readonly practice: Practice,
    readonly patient: Patient,
  ) {
    this.rng = Rng.of(estate.seedKey, 3, patient.ordinal);
    this.archetype = patient.archetype;
    const populationDay = dayNumber(estate.spec.populationDate);
    this.birthDay = dayNumber(patient.birthDate);
    // A record in transit holds nothing from before the registration; otherwise GP2GP brought
    // the earlier history with the patient.
    this.historyStartDay = patient.inTransitSince ? dayNumber(patient.inTransitSince) : this.birthDay;
    const registrationEnd = patient.registration.end ? dayNumber(patient.registration.end) : populationDay;
    this.endDay = Math.min(populationDay, registrationEnd);
    this.age = ageOn(patient.birthDate, estate.spec.populationDate);
    this.horizonYears = this.archetype === 'large-record' ? 45 : 6;
    this.intensity = this.archetype === 'large-record' ? 3.5 : 1;
    for (const member of practice.staff) {
      const list = this.staffByRole.get(member.role) ?? [];
      list.push(member.index);
      this.staffByRole.set(member.role, list);
    }
  }

  get windowStartDay(): number {
    return Math.max(this.historyStartDay, this.endDay - Math.round(this.horizonYears * 365.25));
  }

  id(kind: IdKind): string {
    return this.estate.ids.encode(kind, this.patient.ordinal, this.nextEntry++);
  }

  concept(table: CodeTable, code: string): Concept {
    const row: CodeRow | undefined = this.reference[table].get(code);
    if (!row) throw new Error(`code ${code} is not in fixtures/codes (${table})`);
    return { code: row.code, display: displayTerm(row.term) };
  }

  /** A clinician of the role; the usual GP for most GP contacts. */
  clinician(role: StaffRole): number {
    if (role === 'gp' && this.rng.chance(0.6)) return this.patient.usualGpIndex;
    const members = this.staffByRole.get(role) ?? this.staffByRole.get('gp') ?? [0];
    return this.rng.pick(members);
  }

  /** A weekday in [from, to] (a weekend moves to the nearest weekday inside the range), never after the end of care. */
  weekday(from: number, to: number): number {
    const upper = Math.min(to, this.endDay);
    const day = from >= upper ? upper : this.rng.between(from, upper);
    const weekdayIndex = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday, 6 = Saturday
    if (weekdayIndex === 6) return day - 1 >= from ? day - 1 : day + 2 <= upper ? day + 2 : day;
    if (weekdayIndex === 0) return day + 1 <= upper ? day + 1 : day - 2 >= from ? day - 2 : day;
    return day;
  }

  /** Consulting hours: 08:00 to 18:00, to the minute. */
  surgeryTime(day: number): string {
    return dateTimeOfDay(day, 8 * 60 + this.rng.int(600));
  }

  /** Day of a given age in years (clamped to the record's span). */
  dayAtAge(years: number): number {
    return this.birthDay + Math.round(years * 365.25);
  }

  /** Occurrence days between two days at a yearly rate, evenly spread with jitter. */
  occurrences(fromDay: number, toDay: number, perYear: number): number[] {
    const start = Math.max(fromDay, this.windowStartDay);
    const end = Math.min(toDay, this.endDay);
    if (end <= start || perYear <= 0) return [];
    const expected = ((end - start) / 365.25) * perYear * this.intensity;
    const count = Math.floor(expected) + (this.rng.fraction() < expected - Math.floor(expected) ? 1 : 0);
    const days: number[] = [];
    const step = (end - start) / Math.max(count, 1);
    for (let i = 0; i < count; i++) {
      days.push(this.weekday(Math.floor(start + i * step), Math.floor(start + (i + 1) * step)));
    }
    return days;
  }

  consultation(
    day: number,
    options: { type?: Consultation['type']; role: StaffRole; narrative: readonly string[]; problemIds?: string[] },
  ): Consultation {
    const clinician = this.clinician(options.role);
    const dateTime = this.surgeryTime(day);
    const type =
      options.type ??
      (this.age >= 80 && this.rng.chance(0.15) ? 'home-visit' : this.rng.chance(0.3) ? 'telephone' : 'surgery');
    const consultation: Consultation = {
      kind: 'consultation',
      id: this.id('consultation'),
      date: dateTime,
      recorded: dateTime,
      recorderIndex: clinician,
      type,
      narrative: [...options.narrative],
      entryIds: [],
      problemIds: options.problemIds ?? [],
      durationMinutes: type === 'telephone' ? this.rng.between(5, 12) : this.rng.between(8, 20),
      locationIndex: type === 'surgery' ? this.rng.int(this.practice.locations.length) : 0,
    };
    this.record.consultations.push(consultation);
    return consultation;
  }

  /** Base fields for an entry recorded in a consultation. */
  inConsultation(
    consultation: Consultation,
  ): Pick<EntryBase, 'date' | 'recorded' | 'recorderIndex' | 'consultationId'> {
    return {
      date: consultation.date,
      recorded: consultation.recorded,
      recorderIndex: consultation.recorderIndex,
      consultationId: consultation.id,
    };
  }

  link(consultation: Consultation, entryId: string): void {
    consultation.entryIds.push(entryId);
  }

  addObservation(observation: Observation, consultation?: Consultation): Observation {
    this.record.observations.push(observation);
    if (consultation) this.link(consultation, observation.id);
    return observation;
  }

  addReport(report: InvestigationReport): void {
    this.record.investigations.push(report);
  }
}
