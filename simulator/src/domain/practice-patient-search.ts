import type { Practice } from './estate';
import type { Patient, Sex } from './patient';
import { demographicIndex } from '../population/demographic-index';
import { dayNumber } from '../population/dates';
import type { Population } from '../population/population';

/** Demographic criteria a partner API searches a practice's own list by (at least two, checked by the caller). */
export interface PracticeSearchCriteria {
  surname?: string;
  /** ISO date. */
  dateOfBirth?: string;
  postcode?: string;
  sex?: Sex;
}

const compact = (postcode: string) => postcode.replace(/\s/g, '').toUpperCase();

/**
 * The patients of one practice matching every criterion given, sensitive patients left out (they
 * are never released to partners). A birth date narrows through the demographic index (decision
 * 005); otherwise the practice list is scanned, which partner searches by name and postcode need.
 */
export function searchPracticeList(
  population: Population,
  practice: Practice,
  criteria: PracticeSearchCriteria,
  limit: number,
): Patient[] {
  const matches: Patient[] = [];
  const surname = criteria.surname?.toLowerCase();
  const postcode = criteria.postcode === undefined ? undefined : compact(criteria.postcode);
  const consider = (patient: Patient | undefined) => {
    if (!patient || patient.sensitive || patient.practiceIndex !== practice.index) return;
    if (surname !== undefined && patient.name.family.toLowerCase() !== surname) return;
    if (criteria.dateOfBirth !== undefined && patient.birthDate !== criteria.dateOfBirth) return;
    if (criteria.sex !== undefined && patient.sex !== criteria.sex) return;
    if (postcode !== undefined && compact(patient.address.postalCode) !== postcode) return;
    matches.push(patient);
  };
  if (criteria.dateOfBirth !== undefined) {
    const day = dayNumber(criteria.dateOfBirth);
    const first = practice.firstOrdinal;
    demographicIndex(population).forEachBornBetween(day, day, (ordinal) => {
      if (ordinal >= first && ordinal < first + practice.listSize) consider(population.patient(ordinal));
      return matches.length < limit;
    });
    return matches;
  }
  for (let index = 0; index < practice.listSize && matches.length < limit; index++) {
    consider(population.patientAt(practice, index));
  }
  return matches;
}
