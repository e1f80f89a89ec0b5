import type { Rng } from './random';

/**
 * The age and sex shape of a GP list.
 *
 * Ages follow the ONS Census 2021 quinary bands for England and Wales (reference/codes/
 * prevalence.md §2b), the verified shape prior for a registered list. The sex split by age is an
 * approximation (more boys than girls at birth, women the majority from the sixties on), because
 * no verified registered-population figure by sex was available (prevalence.md "Sex split: gap").
 */

/** Share (%) of the population in each five-year band from 0-4 to 85-89, then 90+. */
export const quinaryAgeShares: readonly number[] = [
  5.4, 5.9, 6.0, 5.6, 6.1, 6.6, 7.0, 6.7, 6.3, 6.4, 7.0, 6.8, 5.8, 4.9, 5.0, 3.6, 2.5, 1.5, 0.8,
];

/** The oldest age the model produces; 90+ is spread over 90..OLDEST with falling weights. */
export const OLDEST_AGE = 104;

/** Fraction of a single year of age's population in each year 0..OLDEST_AGE (sums to 1). */
export const singleYearAgeShares: readonly number[] = buildSingleYearShares();

function buildSingleYearShares(): number[] {
  const shares: number[] = [];
  for (let band = 0; band < 18; band++) {
    for (let year = 0; year < 5; year++) shares.push((quinaryAgeShares[band] as number) / 5);
  }
  const oldest = quinaryAgeShares[18] as number;
  const tailWeights: number[] = [];
  for (let age = 90; age <= OLDEST_AGE; age++) tailWeights.push(OLDEST_AGE + 1 - age);
  const tailTotal = tailWeights.reduce((sum, w) => sum + w, 0);
  for (const weight of tailWeights) shares.push((oldest * weight) / tailTotal);
  const total = shares.reduce((sum, share) => sum + share, 0);
  return shares.map((share) => share / total);
}

/** Probability that a person of this age is female. */
export function femaleShareAt(age: number): number {
  if (age < 60) return 0.493;
  if (age < 70) return 0.51;
  if (age < 80) return 0.53;
  if (age < 90) return 0.58;
  return 0.68;
}

export function sampleAge(rng: Rng): number {
  return rng.weightedIndex(singleYearAgeShares);
}
