import type { Immunisation } from '../../domain/clinical-record';
import { dateTimeOfDay, dayNumber } from '../dates';
import type { RecordContext } from './record-context';

/**
 * The UK routine immunisation schedule as GP records show it: childhood doses at their scheduled
 * ages (only from the year each vaccine entered the schedule), and the adult programmes (seasonal
 * flu, pneumococcal, shingles, COVID-19). Codes from fixtures/codes/immunisations.csv.
 */
interface ScheduledDose {
  code: string;
  /** Age at the dose, in weeks. */
  ageWeeks: number;
  /** First calendar year the dose was given routinely. */
  since: number;
  sex?: 'female' | 'male';
  doseNumber?: number;
}

const childhood: readonly ScheduledDose[] = [
  { code: '1082441000000108', ageWeeks: 8, since: 2017, doseNumber: 1 },
  { code: '868631000000102', ageWeeks: 8, since: 2013, doseNumber: 1 },
  { code: '720539004', ageWeeks: 8, since: 2015, doseNumber: 1 },
  { code: '1082451000000106', ageWeeks: 12, since: 2017, doseNumber: 2 },
  { code: '868651000000109', ageWeeks: 12, since: 2013, doseNumber: 2 },
  { code: '247631000000101', ageWeeks: 12, since: 2006, doseNumber: 1 },
  { code: '1082461000000109', ageWeeks: 16, since: 2017, doseNumber: 3 },
  { code: '720540002', ageWeeks: 16, since: 2015, doseNumber: 2 },
  { code: '308081000000105', ageWeeks: 52, since: 1988, doseNumber: 1 },
  { code: '170433008', ageWeeks: 174, since: 1996, doseNumber: 2 },
  { code: '247821000000102', ageWeeks: 174, since: 2004 },
  { code: '428741008', ageWeeks: 640, since: 2008, sex: 'female', doseNumber: 1 },
  { code: '428741008', ageWeeks: 640, since: 2019, sex: 'male', doseNumber: 1 },
  { code: '414619005', ageWeeks: 730, since: 2004 },
  { code: '957671000000103', ageWeeks: 730, since: 2015 },
];

const FLU = '822851000000102';
const FLU_BY_PHARMACIST = '955691000000108';
const PNEUMOCOCCAL = '12866006';
const SHINGLES = '859641000000109';
const SHINGLES_FIRST = '1326101000000105';
const SHINGLES_SECOND = '1326111000000107';
const COVID_FIRST = '1324681000000101';
const COVID_SECOND = '1324691000000104';
const GENERALLY_UNWELL = '213257006';
const NO_CONSENT_FOR_ANY_IMMUNIZATION = '268559007';

/** Conditions that make an adult under 65 eligible for the flu vaccine. */
const fluRisk = [
  'diabetes-type-1',
  'diabetes-type-2',
  'copd',
  'asthma',
  'chd',
  'ckd',
  'heart-failure',
  'stroke-tia',
] as const;

export function addImmunisations(context: RecordContext): void {
  const { patient, rng } = context;
  for (const dose of childhood) {
    if (dose.sex && dose.sex !== patient.sex) continue;
    const day = context.birthDay + dose.ageWeeks * 7 + rng.int(21);
    if (Number(new Date(day * 86_400_000).getUTCFullYear()) < dose.since) continue;
    if (day < context.historyStartDay || day > context.endDay || !rng.chance(0.93)) continue;
    add(context, dose.code, day, dose.doseNumber);
  }

  const populationYear = Number(context.estate.spec.populationDate.slice(0, 4));
  const atRisk = fluRisk.some((key) => patient.conditions.includes(key));
  for (let season = populationYear - 5; season <= populationYear; season++) {
    const day = dayNumber(`${season}-10-01`) + rng.int(50);
    const ageThen = context.age - (populationYear - season);
    if (!(ageThen >= 65 || (atRisk && ageThen >= 18))) continue;
    if (day > context.endDay || day < context.historyStartDay) continue;
    if (rng.chance(0.05)) {
      add(context, FLU, day, undefined, 'not-done');
      continue;
    }
    if (rng.chance(0.75)) add(context, rng.chance(0.2) ? FLU_BY_PHARMACIST : FLU, day);
  }

  if (context.age >= 66 && rng.chance(0.7))
    add(context, PNEUMOCOCCAL, context.weekday(context.dayAtAge(65), context.dayAtAge(66)));
  if (context.age >= 71 && context.age < 80 && rng.chance(0.5)) {
    const day = context.weekday(context.dayAtAge(70), context.dayAtAge(71));
    if (day >= dayNumber('2023-09-01')) {
      add(context, SHINGLES_FIRST, day, 1);
      add(context, SHINGLES_SECOND, day + 60 + rng.int(120), 2);
    } else {
      add(context, SHINGLES, day);
    }
  }
  if (context.age >= 22 && rng.chance(0.85)) {
    const first = dayNumber('2021-01-10') + rng.int(150);
    add(context, COVID_FIRST, first, 1);
    if (rng.chance(0.95)) add(context, COVID_SECOND, first + 56 + rng.int(28), 2);
  }
}

/**
 * The standard archetype declined last season's flu vaccine: a not-given flu immunisation and the
 * dissent recorded that day, so GP Connect's includeNotGiven and includeStatus both have data.
 * Added after every other entry, so the rest of the record keeps its ids.
 */
export function addImmunisationDissent(context: RecordContext): void {
  const notGiven = context.record.immunisations.filter((immunisation) => immunisation.status === 'not-done');
  if (notGiven.length === 0) {
    const season = Number(context.estate.spec.populationDate.slice(0, 4)) - 1;
    add(
      context,
      FLU,
      context.weekday(dayNumber(`${season}-10-01`), dayNumber(`${season}-11-15`)),
      undefined,
      'not-done',
    );
  }
  const declined = context.record.immunisations.filter((immunisation) => immunisation.status === 'not-done').at(-1);
  if (!declined) return;
  context.record.observations.push({
    kind: 'observation',
    id: context.id('observation'),
    date: declined.date,
    recorded: declined.recorded,
    recorderIndex: declined.recorderIndex,
    concept: context.concept('recordStructure', NO_CONSENT_FOR_ANY_IMMUNIZATION),
    category: 'social-history',
    immunisationStatus: true,
  });
}

function add(
  context: RecordContext,
  code: string,
  day: number,
  doseNumber?: number,
  status: Immunisation['status'] = 'completed',
): void {
  if (day < context.historyStartDay || day > context.endDay) return;
  const when = dateTimeOfDay(day, 9 * 60 + context.rng.int(480));
  context.record.immunisations.push({
    kind: 'immunisation',
    id: context.id('immunisation'),
    date: when,
    recorded: when,
    recorderIndex: context.clinician('nurse'),
    concept: context.concept('immunisations', code),
    status,
    ...(doseNumber ? { doseNumber } : {}),
    ...(status === 'not-done' ? { notGivenReason: context.concept('recordStructure', GENERALLY_UNWELL) } : {}),
  });
}
