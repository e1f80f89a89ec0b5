import type { Practice } from '../domain/estate';
import type { Sex } from '../domain/patient';
import { dayNumber } from './dates';
import { generatePatient } from './patient-generator';
import type { Population } from './population';

/** Names as demographic searches compare them: case- and accent-insensitive ("Kociński" = "kocinski"). */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * What a search may test before paying for a whole patient: folded names and sex. Returning
 * false stops the walk (a search that already has too many matches need not look further).
 */
export type CandidateVisitor = (ordinal: number, family: string, given: string, sex: Sex) => boolean | void;

interface PracticeIndex {
  /** Birth day numbers in ascending order. */
  days: Int32Array;
  /** The list index of the patient at each position of `days`. */
  indices: Int32Array;
  /** By list index: folded family name, folded first given name, sex. */
  family: string[];
  given: string[];
  sex: Sex[];
}

/**
 * Patients by date of birth, so a demographic search (which always names a date of birth or a
 * range of them) looks at a handful of candidates instead of scanning the estate. Every search
 * API narrows by birth date first, then by the folded names kept here, and only then computes
 * the few patients left.
 *
 * Built lazily, one practice at a time, the first time a search needs it: a practice costs one
 * pass over its list (about 8 µs a patient, so about a second for a 140,000-patient estate) and
 * keeps two Int32Arrays and three arrays of shared strings — a few megabytes for the largest
 * estate, bounded by the estate size and never by traffic. The baseline demographics are a pure
 * function of the seed, so the index stays valid until a reset replaces the population (and with
 * it this index, which is keyed by the population object).
 */
export class DemographicIndex {
  private readonly practices: (PracticeIndex | undefined)[];
  /** Folded names shared between patients: the name tables are small, the lists are long. */
  private readonly folded = new Map<string, string>();

  constructor(private readonly population: Population) {
    this.practices = new Array<PracticeIndex | undefined>(population.practices.length);
  }

  /** Visits the patients born between two day numbers (inclusive), practice by practice. */
  forEachBornBetween(fromDay: number, toDay: number, visit: CandidateVisitor): void {
    if (fromDay > toDay) return;
    for (const practice of this.population.practices) {
      const index = this.practiceIndex(practice);
      for (let at = lowerBound(index.days, fromDay); at < index.days.length; at++) {
        if ((index.days[at] as number) > toDay) break;
        const listIndex = index.indices[at] as number;
        const goOn = visit(
          practice.firstOrdinal + listIndex,
          index.family[listIndex] as string,
          index.given[listIndex] as string,
          index.sex[listIndex] as Sex,
        );
        if (goOn === false) return;
      }
    }
  }

  private practiceIndex(practice: Practice): PracticeIndex {
    const existing = this.practices[practice.index];
    if (existing) return existing;
    const { estate, reference } = this.population;
    const size = practice.listSize;
    const days = new Int32Array(size);
    const family = new Array<string>(size);
    const given = new Array<string>(size);
    const sex = new Array<Sex>(size);
    for (let i = 0; i < size; i++) {
      // Computed directly rather than through the population's patient cache, so building the
      // index does not evict the patients that traffic is actually using.
      const patient = generatePatient(estate, reference, practice, i);
      days[i] = dayNumber(patient.birthDate);
      family[i] = this.fold(patient.name.family);
      given[i] = this.fold(patient.name.given[0] ?? '');
      sex[i] = patient.sex;
    }
    const indices = Int32Array.from({ length: size }, (_, i) => i).sort(
      (a, b) => (days[a] as number) - (days[b] as number) || a - b,
    );
    const built: PracticeIndex = { days: indices.map((i) => days[i] as number), indices, family, given, sex };
    this.practices[practice.index] = built;
    return built;
  }

  private fold(name: string): string {
    let folded = this.folded.get(name);
    if (folded === undefined) {
      folded = foldName(name);
      this.folded.set(name, folded);
    }
    return folded;
  }
}

const indexes = new WeakMap<Population, DemographicIndex>();

/** The index of a population, created on first use and dropped with the population. */
export function demographicIndex(population: Population): DemographicIndex {
  let index = indexes.get(population);
  if (!index) {
    index = new DemographicIndex(population);
    indexes.set(population, index);
  }
  return index;
}

/** The first position whose value is at least `value` (binary search). */
function lowerBound(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
