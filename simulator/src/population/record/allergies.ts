import type { Allergy } from '../../domain/clinical-record';
import { dateTimeOfDay } from '../dates';
import type { RecordContext } from './record-context';

/**
 * Allergies and adverse reactions (fixtures/codes/allergies.csv). Around one in ten people carry a
 * penicillin allergy label; other drug reactions, food and environmental allergies are rarer. A
 * record without a positive allergy usually says so explicitly ("No known allergy", 716186003),
 * but some records hold no allergy information at all, which consumers must tell apart.
 */
interface AllergyOption {
  code: string;
  chance: number;
  category: Allergy['category'];
  type: Allergy['type'];
  penicillin?: boolean;
}

const positives: readonly AllergyOption[] = [
  { code: '91936005', chance: 0.06, category: 'medication', type: 'allergy', penicillin: true },
  { code: '294505008', chance: 0.015, category: 'medication', type: 'allergy', penicillin: true },
  { code: '292954005', chance: 0.015, category: 'medication', type: 'intolerance', penicillin: true },
  { code: '292055008', chance: 0.01, category: 'medication', type: 'intolerance' },
  { code: '419901001', chance: 0.01, category: 'medication', type: 'intolerance' },
  { code: '292939004', chance: 0.006, category: 'medication', type: 'intolerance' },
  { code: '293032001', chance: 0.006, category: 'medication', type: 'allergy' },
  { code: '419056004', chance: 0.005, category: 'medication', type: 'intolerance' },
  { code: '293586001', chance: 0.004, category: 'medication', type: 'allergy' },
  { code: '294971007', chance: 0.004, category: 'medication', type: 'allergy' },
  { code: '91935009', chance: 0.008, category: 'food', type: 'allergy' },
  { code: '241933001', chance: 0.002, category: 'food', type: 'allergy' },
  { code: '782594005', chance: 0.002, category: 'food', type: 'allergy' },
  { code: '232350006', chance: 0.006, category: 'environment', type: 'allergy' },
  { code: '232348003', chance: 0.002, category: 'environment', type: 'allergy' },
  { code: '419063004', chance: 0.001, category: 'environment', type: 'allergy' },
];

const PENICILLIN = '91936005';
const DUST_MITE = '232350006';
const NO_KNOWN_ALLERGY = '716186003';
const NO_KNOWN_DRUG_ALLERGY = '409137002';
const manifestations = ['304386008', '422400008'];

export function addAllergies(context: RecordContext): void {
  if (context.archetype === 'no-allergies') return;
  const { rng } = context;
  const found: AllergyOption[] = positives.filter((option) => rng.chance(option.chance));
  // The standard patient always shows both lists: an active drug allergy and an ended one.
  if (context.archetype === 'standard') {
    for (const code of [PENICILLIN, DUST_MITE]) {
      if (!found.some((option) => option.code === code))
        found.push(positives.find((option) => option.code === code) as AllergyOption);
    }
  }
  for (const option of found) {
    const onsetDay = context.weekday(Math.max(context.historyStartDay, context.dayAtAge(2)), context.endDay);
    const resolved = context.archetype === 'standard' ? option.code === DUST_MITE : rng.chance(0.08);
    const when = dateTimeOfDay(onsetDay, 9 * 60 + rng.int(480));
    const allergy: Allergy = {
      kind: 'allergy',
      id: context.id('allergy'),
      date: when,
      recorded: when,
      recorderIndex: context.clinician('gp'),
      concept: context.concept('allergies', option.code),
      category: option.category,
      type: option.type,
      clinicalStatus: resolved ? 'resolved' : 'active',
      ...(resolved
        ? { endDate: dateTimeOfDay(context.weekday(onsetDay + 30, context.endDay), 10 * 60).slice(0, 10) }
        : {}),
      ...(option.category !== 'environment'
        ? { reaction: context.concept('recordStructure', rng.pick(manifestations)) }
        : {}),
      noKnownAllergy: false,
    };
    context.record.allergies.push(allergy);
    if (option.penicillin && !resolved) context.penicillinAllergic = true;
  }
  if (found.length === 0 && rng.chance(0.75)) {
    const day = context.weekday(Math.max(context.historyStartDay, context.endDay - 3650), context.endDay);
    const when = dateTimeOfDay(day, 9 * 60 + rng.int(480));
    context.record.allergies.push({
      kind: 'allergy',
      id: context.id('allergy'),
      date: when,
      recorded: when,
      recorderIndex: context.clinician('gp'),
      concept: context.concept('allergies', rng.chance(0.8) ? NO_KNOWN_ALLERGY : NO_KNOWN_DRUG_ALLERGY),
      category: 'medication',
      type: 'allergy',
      clinicalStatus: 'active',
      noKnownAllergy: true,
    });
  }
}
