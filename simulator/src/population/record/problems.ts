import type { Consultation, Problem, Referral } from '../../domain/clinical-record';
import { dateOfDay } from '../dates';
import type { ConditionRecordSpec, EpisodeSpec, MonitoringPanel, WeightedCode } from './condition-catalogue';
import {
  acuteInfections,
  commonAcuteMedicines,
  conditionCatalogue,
  episodeCatalogue,
  minorConsultations,
} from './condition-catalogue';
import { addAcuteCourse, addRepeatCourse } from './medication-courses';
import type { Physiology } from './monitoring';
import { isVitalPanel, recordLabPanel, recordVitals } from './monitoring';
import { correspondents } from './documents';
import type { RecordContext } from './record-context';

/**
 * Long-term conditions become what a GP record shows for them: a problem coded at diagnosis, the
 * treatment started then, reviews that record the monitoring, lab results filed between reviews,
 * exacerbations treated acutely, and sometimes a referral.
 */
export function addLongTermConditions(context: RecordContext, physiology: Physiology): void {
  const labRates = new Map<MonitoringPanel, { perYear: number; problemId: string; onsetDay: number }>();
  for (const key of context.patient.conditions) {
    const spec = conditionCatalogue[key];
    const onsetDay = onset(context, spec);
    if (onsetDay === undefined) continue;
    const inactive = context.rng.chance(spec.inactiveShare);
    const endDay = inactive ? context.weekday(Math.min(onsetDay + 180, context.endDay), context.endDay) : undefined;
    const code = pickCode(context, spec.problemCodes);
    const diagnosis = context.consultation(Math.min(onsetDay, context.endDay), {
      role: 'gp',
      narrative: [`Diagnosis: ${context.concept('problems', code).display}.`, spec.reviewNarrative[0] ?? ''],
    });
    const problem = addProblem(context, code, spec.significance, diagnosis, endDay);
    diagnosis.problemIds.push(problem.id);

    for (const line of spec.medications) {
      if (!context.rng.chance(line.chance)) continue;
      const code = context.rng.pick(line.options);
      if (line.acuteEpisodesPerYear) {
        for (const day of context.occurrences(onsetDay, endDay ?? context.endDay, line.acuteEpisodesPerYear)) {
          const episode = context.consultation(day, {
            role: 'gp',
            narrative: [
              `${spec.review.topic}: flare-up / exacerbation.`,
              'Treatment course issued. Safety-netting advice given.',
            ],
            problemIds: [problem.id],
          });
          const course = addAcuteCourse(context, { code, startDay: day, consultation: episode, problemId: problem.id });
          problem.linkedIds.push(course.id);
        }
      } else {
        const startDay = Math.min(onsetDay + context.rng.int(120), context.endDay);
        const courses = addRepeatCourse(context, {
          code,
          startDay,
          ...(endDay !== undefined ? { stopDay: endDay } : {}),
          ...(startDay === onsetDay ? { consultation: diagnosis } : {}),
          problemId: problem.id,
        });
        for (const course of courses) problem.linkedIds.push(course.id);
      }
    }

    const reviewUntil = endDay ?? context.endDay;
    for (const day of context.occurrences(onsetDay + 30, reviewUntil, spec.review.perYear)) {
      const review = context.consultation(day, {
        role: spec.review.by,
        narrative: [spec.review.topic, ...pickLines(context, spec.reviewNarrative, 2)],
        problemIds: [problem.id],
      });
      for (const monitoring of spec.monitoring) {
        if (
          isVitalPanel(monitoring.panel) &&
          context.rng.chance(Math.min(1, monitoring.perYear / spec.review.perYear))
        ) {
          const before = context.record.observations.length;
          recordVitals(context, physiology, monitoring.panel, review, problem.id);
          for (const observation of context.record.observations.slice(before)) problem.linkedIds.push(observation.id);
        }
      }
    }
    for (const monitoring of spec.monitoring) {
      if (isVitalPanel(monitoring.panel)) continue;
      const existing = labRates.get(monitoring.panel);
      if (!existing || existing.perYear < monitoring.perYear) {
        labRates.set(monitoring.panel, { perYear: monitoring.perYear, problemId: problem.id, onsetDay });
      }
    }
    if (spec.referral && (context.archetype === 'standard' || context.rng.chance(spec.referral.chance))) {
      addReferral(context, spec.referral, problem, context.weekday(onsetDay, Math.min(onsetDay + 200, context.endDay)));
    }
  }
  // Lab panels are requested once however many conditions need them, at the highest rate needed.
  for (const [panel, rate] of labRates) {
    for (const day of context.occurrences(rate.onsetDay, context.endDay, rate.perYear)) {
      recordLabPanel(context, physiology, panel, day, rate.problemId);
    }
  }
}

/** Short episodes (reflux, back pain, UTIs...), mostly resolved now. */
export function addEpisodes(context: RecordContext): void {
  const { rng, patient } = context;
  for (const episode of episodeCatalogue) {
    if (context.age < episode.minAge || (episode.maxAge !== undefined && context.age > episode.maxAge)) continue;
    if (episode.sex && episode.sex !== patient.sex) continue;
    if (!rng.chance(episode.chance)) continue;
    addEpisode(context, episode);
  }
}

function addEpisode(context: RecordContext, episode: EpisodeSpec): void {
  const from = Math.max(context.windowStartDay - 3650, context.dayAtAge(episode.minAge), context.historyStartDay);
  if (from >= context.endDay) return;
  const day = context.weekday(from, context.endDay);
  const consultation = context.consultation(day, { role: 'gp', narrative: [episode.narrative] });
  const inactive = context.rng.chance(episode.inactiveShare);
  const endDay = inactive
    ? context.weekday(Math.min(day + 14, context.endDay), Math.min(day + 400, context.endDay))
    : undefined;
  const problem = addProblem(context, episode.code, 'minor', consultation, endDay);
  consultation.problemIds.push(problem.id);
  if (episode.medication) {
    const course = inactive
      ? addAcuteCourse(context, { code: episode.medication, startDay: day, consultation, problemId: problem.id })
      : addRepeatCourse(context, { code: episode.medication, startDay: day, consultation, problemId: problem.id })[0];
    if (course) problem.linkedIds.push(course.id);
  }
  if (episode.referral && context.rng.chance(episode.referral.chance))
    addReferral(context, episode.referral, problem, day);
}

/** Everyday consulting: infections treated with antibiotics, and minor matters with none. */
export function addAcuteIllness(context: RecordContext): void {
  const { rng, patient } = context;
  const perYear = consultingRate(context.age, patient.sex);
  for (const day of context.occurrences(context.windowStartDay, context.endDay, perYear)) {
    if (rng.chance(0.3)) {
      const infections = acuteInfections.filter((option) => !option.sex || option.sex === patient.sex);
      const infection = rng.pick(infections);
      const consultation = context.consultation(day, {
        role: 'gp',
        narrative: [`${infection.reason}.`, infection.narrative, 'Antibiotic course issued; return if not improving.'],
      });
      const code =
        context.penicillinAllergic && infection.penicillinAllergicAlternative
          ? infection.penicillinAllergicAlternative
          : infection.medication;
      addAcuteCourse(context, { code, startDay: day, consultation });
    } else {
      const consultation = context.consultation(day, {
        role: rng.chance(0.8) ? 'gp' : 'nurse',
        narrative: [rng.pick(minorConsultations)],
      });
      if (context.age >= 16 && rng.chance(0.12))
        addAcuteCourse(context, { code: rng.pick(commonAcuteMedicines), startDay: day, consultation });
    }
  }
}

/** Average consultations per year by age and sex in English general practice (shape). */
function consultingRate(age: number, sex: string): number {
  const female = sex === 'female';
  if (age < 5) return 4;
  if (age < 16) return 1.6;
  if (age < 45) return female ? 3 : 1.6;
  if (age < 65) return female ? 3.4 : 2.6;
  if (age < 75) return 4.2;
  return 5.5;
}

function onset(context: RecordContext, spec: ConditionRecordSpec): number | undefined {
  const earliest = Math.max(context.dayAtAge(spec.earliestOnsetAge), context.birthDay);
  // Most diagnoses fall within the last two decades of life so far.
  const from = Math.max(earliest, context.endDay - 20 * 365);
  if (from > context.endDay) return undefined;
  const day = context.weekday(from, context.endDay - 30);
  return Math.max(day, context.historyStartDay);
}

function pickCode(context: RecordContext, codes: readonly WeightedCode[]): string {
  return (codes[context.rng.weightedIndex(codes.map((option) => option.weight))] as WeightedCode).code;
}

function addProblem(
  context: RecordContext,
  code: string,
  significance: Problem['significance'],
  consultation: Consultation,
  endDay: number | undefined,
): Problem {
  const problem: Problem = {
    kind: 'problem',
    id: context.id('problem'),
    ...context.inConsultation(consultation),
    concept: context.concept('problems', code),
    status: endDay === undefined ? 'active' : 'inactive',
    significance,
    ...(endDay !== undefined ? { endDate: dateOfDay(endDay) } : {}),
    linkedIds: [],
  };
  // Diagnoses made long ago were often recorded with only a year or a month.
  const ageOfEntryDays = context.endDay - Math.floor(Date.parse(problem.date) / 86_400_000);
  if (ageOfEntryDays > 25 * 365 && context.rng.chance(0.3)) {
    problem.date = context.rng.chance(0.5) ? problem.date.slice(0, 4) : problem.date.slice(0, 7);
  }
  context.record.problems.push(problem);
  context.link(consultation, problem.id);
  return problem;
}

function addReferral(
  context: RecordContext,
  referral: NonNullable<ConditionRecordSpec['referral']>,
  problem: Problem,
  day: number,
): void {
  const consultation = context.consultation(day, {
    role: 'gp',
    narrative: [`Referral: ${referral.service}.`, referral.reason],
    problemIds: [problem.id],
  });
  const entry: Referral = {
    kind: 'referral',
    id: context.id('referral'),
    ...context.inConsultation(consultation),
    concept: context.concept('recordStructure', referral.code),
    priority: 'routine',
    service: referral.service,
    reasonText: referral.reason,
    problemId: problem.id,
    // Chosen without a draw from the generator, so every other entry keeps its values.
    recipient: correspondents[(context.patient.ordinal + context.record.referrals.length) % correspondents.length],
  };
  context.record.referrals.push(entry);
  context.link(consultation, entry.id);
  problem.linkedIds.push(entry.id);
}

function pickLines(context: RecordContext, lines: readonly string[], count: number): string[] {
  const chosen: string[] = [];
  for (let i = 0; i < count && i < lines.length; i++)
    chosen.push(lines[(context.rng.int(lines.length) + i) % lines.length] as string);
  return [...new Set(chosen)];
}
