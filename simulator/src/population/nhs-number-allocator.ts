import { isValidNhsNumber, nhsCheckDigit, TEST_RANGE_PREFIX } from '../domain/nhs-number';
import { hashString, mixKeys } from './random';

/**
 * Hands out NHS numbers from the 999 test range as a seeded bijection between estate ordinals and
 * valid numbers: ordinal -> number is a keyed Feistel permutation over the valid stems (cycle
 * walking keeps it inside the domain), and number -> ordinal runs the permutation backwards, so
 * looking a patient up by NHS number needs no index however large the estate.
 */
export class NhsNumberAllocator {
  /** Valid six-digit stem suffixes (the stem is 999 followed by them), ascending. */
  private static validSuffixes: Uint32Array | undefined;
  private readonly key: number;
  private readonly bits: number;
  private readonly mask: number;

  constructor(seed: string) {
    this.key = hashString(`gpsim-nhs:${seed}`);
    const size = NhsNumberAllocator.suffixes().length;
    this.bits = Math.ceil(Math.log2(size));
    if (this.bits % 2 === 1) this.bits += 1;
    this.mask = (1 << (this.bits / 2)) - 1;
  }

  /** How many distinct valid numbers the test range holds. */
  get capacity(): number {
    return NhsNumberAllocator.suffixes().length;
  }

  numberFor(ordinal: number): string {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.capacity) {
      throw new RangeError(`ordinal ${ordinal} is outside the 999 test range's capacity (${this.capacity})`);
    }
    let value = ordinal;
    do value = this.permute(value);
    while (value >= this.capacity);
    const suffix = NhsNumberAllocator.suffixes()[value] as number;
    const stem = TEST_RANGE_PREFIX + suffix.toString().padStart(6, '0');
    return stem + String(nhsCheckDigit(stem));
  }

  /** The ordinal a number was issued to, or undefined if it is not one of this estate's numbers. */
  ordinalFor(nhsNumber: string): number | undefined {
    if (!nhsNumber.startsWith(TEST_RANGE_PREFIX) || !isValidNhsNumber(nhsNumber)) return undefined;
    const suffix = Number(nhsNumber.slice(3, 9));
    const index = binarySearch(NhsNumberAllocator.suffixes(), suffix);
    if (index < 0) return undefined;
    let value = index;
    do value = this.unpermute(value);
    while (value >= this.capacity);
    return value;
  }

  private permute(value: number): number {
    const half = this.bits / 2;
    let left = value >>> half;
    let right = value & this.mask;
    for (let round = 0; round < 4; round++) {
      const next = (left ^ mixKeys(right, this.key, round)) & this.mask;
      left = right;
      right = next;
    }
    return ((left << half) | right) >>> 0;
  }

  private unpermute(value: number): number {
    const half = this.bits / 2;
    let left = value >>> half;
    let right = value & this.mask;
    for (let round = 3; round >= 0; round--) {
      const previousRight = left;
      left = (right ^ mixKeys(previousRight, this.key, round)) & this.mask;
      right = previousRight;
    }
    return ((left << half) | right) >>> 0;
  }

  private static suffixes(): Uint32Array {
    if (!NhsNumberAllocator.validSuffixes) {
      // The prefix 999 contributes 9*10 + 9*9 + 9*8 = 243 to the weighted sum; the six suffix
      // digits carry weights 7..2. Plain integer loops keep this to a few milliseconds.
      const found = new Uint32Array(1_000_000);
      let count = 0;
      for (let suffix = 0; suffix < 1_000_000; suffix++) {
        let rest = suffix;
        let sum = 243;
        for (let weight = 2; weight <= 7; weight++) {
          sum += (rest % 10) * weight;
          rest = (rest - (rest % 10)) / 10;
        }
        if (11 - (sum % 11) !== 10) found[count++] = suffix;
      }
      NhsNumberAllocator.validSuffixes = found.slice(0, count);
    }
    return NhsNumberAllocator.validSuffixes;
  }
}

function binarySearch(sorted: Uint32Array, target: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = sorted[middle] as number;
    if (value === target) return middle;
    if (value < target) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
