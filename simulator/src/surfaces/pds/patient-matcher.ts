import type { Patient, Sex } from '../../domain/patient';
import { dayNumber } from '../../population/dates';
import { foldName } from '../../population/demographic-index';
import type { DayRange, PdsSearchQuery, TextCriterion } from './search-query';
import { normalisePostcode } from './search-query';
import { soundex } from './soundex';

/**
 * How well a patient matches a PDS search. PDS publishes the rules but not its scoring formula:
 * "A score of 1.0 indicates an exact match. A score of less than 1.0 indicates a partial match"
 * (patient-search.yaml lines 61-66). gpsim's formula: every criterion scores 1 when met exactly,
 * 0.9 through a wildcard, 0.8 through Soundex, 0.9× when names are transposed, 0 for a mismatch
 * that fuzzy search only scores (date of death, registered practice: lines 142, 579, 642); the
 * score is their mean, to four decimals. A date inside a requested range counts as exact.
 */
const EXACT = 1;
const WILDCARD = 0.9;
const SOUNDS_LIKE = 0.8;
const TRANSPOSED = 0.9;

// Candidate names come from the estate's name tables, so this memo is bounded by them.
const soundexMemo = new Map<string, string>();

function soundexOf(folded: string): string {
  let code = soundexMemo.get(folded);
  if (code === undefined) {
    code = soundex(folded);
    soundexMemo.set(folded, code);
  }
  return code;
}

function textScore(criterion: TextCriterion, value: string, fuzzy: boolean): number {
  if (criterion.pattern) return criterion.pattern.test(value) ? WILDCARD : 0;
  if (value === criterion.text) return EXACT;
  if (fuzzy && criterion.soundex !== '' && soundexOf(value) === criterion.soundex) return SOUNDS_LIKE;
  return 0;
}

/**
 * Scores of the family and first given name; a fuzzy search also tries them transposed
 * ("Adam Thomas" for "Thomas Adam", patient-search.yaml line 129). Undefined when they do not match.
 */
function nameScores(query: PdsSearchQuery, family: string, given: string): number[] | undefined {
  const firstGiven = query.given[0];
  const direct: number[] = [];
  if (query.family) direct.push(textScore(query.family, family, query.fuzzy));
  if (firstGiven) direct.push(textScore(firstGiven, given, query.fuzzy));
  if (direct.every((score) => score > 0)) return direct;
  if (query.fuzzy && query.family && firstGiven) {
    const familyAsGiven = textScore(query.family, given, true);
    const givenAsFamily = textScore(firstGiven, family, true);
    if (familyAsGiven > 0 && givenAsFamily > 0) return [familyAsGiven * TRANSPOSED, givenAsFamily * TRANSPOSED];
  }
  return undefined;
}

/** A cheap first test on what the demographic index holds (folded names, sex). */
export function mayMatch(query: PdsSearchQuery, family: string, given: string, sex: Sex): boolean {
  if (query.gender !== undefined && sex !== query.gender) return false;
  return nameScores(query, family, given) !== undefined;
}

function inRange(day: number, range: DayRange): boolean {
  return day >= range.from && day <= range.to;
}

/**
 * The match score of a patient, or undefined when they do not match. `registeredOds` is the
 * practice PDS shows as their GP (none once they have left it).
 */
export function matchScore(
  query: PdsSearchQuery,
  patient: Patient,
  registeredOds: string | undefined,
): number | undefined {
  const { fuzzy } = query;
  const scores = nameScores(query, foldName(patient.name.family), foldName(patient.name.given[0] ?? ''));
  if (!scores) return undefined;
  // Later given names must match in order when given (personal-demographics.yaml lines 522-529).
  for (let i = 1; i < query.given.length; i++) {
    const score = textScore(query.given[i] as TextCriterion, foldName(patient.name.given[i] ?? ''), fuzzy);
    if (score === 0 && !fuzzy) return undefined;
    scores.push(score);
  }
  if (query.gender !== undefined) {
    if (patient.sex !== query.gender) return undefined;
    scores.push(EXACT);
  }
  if (!inRange(dayNumber(patient.birthDate), query.birthdate)) return undefined;
  scores.push(EXACT);
  if (query.deathDate) {
    const died = patient.deceasedDate !== undefined && inRange(dayNumber(patient.deceasedDate), query.deathDate);
    if (!died && !fuzzy) return undefined;
    scores.push(died ? EXACT : 0);
  }
  if (query.postcode) {
    const score = textScore(query.postcode, normalisePostcode(patient.address.postalCode), false);
    if (score === 0) return undefined;
    scores.push(score);
  }
  if (query.generalPractitioner !== undefined) {
    const registered = registeredOds === query.generalPractitioner;
    if (!registered && !fuzzy) return undefined;
    scores.push(registered ? EXACT : 0);
  }
  // Email and phone match exactly or not at all, fuzzy or not (patient-search.yaml lines 202-206).
  if (query.email !== undefined) {
    const email = query.email;
    if (!patient.telecom.some((telecom) => telecom.system === 'email' && telecom.value.toLowerCase() === email)) {
      return undefined;
    }
    scores.push(EXACT);
  }
  if (query.phone !== undefined) {
    const phone = query.phone;
    if (!patient.telecom.some((telecom) => telecom.system === 'phone' && telecom.value.replace(/\s+/g, '') === phone)) {
      return undefined;
    }
    scores.push(EXACT);
  }
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  return Math.round(mean * 10_000) / 10_000;
}
