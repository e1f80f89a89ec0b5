/**
 * NHS numbers: ten digits, the last a Modulus 11 check digit over the first nine with weights
 * 10..2; a remainder giving 10 means no valid number exists for that stem (reference/domain.md §4.1).
 */

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** The check digit for a nine-digit stem, or undefined when the stem can never be valid. */
export function nhsCheckDigit(stem: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (stem.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return nhsCheckDigit(value.slice(0, 9)) === value.charCodeAt(9) - 48;
}

/** The number NHS systems display: three, three and four digits separated by spaces. */
export function formatNhsNumber(value: string): string {
  return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`;
}

/** Accepts the displayed form (spaces or hyphens) and returns bare digits, or undefined. */
export function normaliseNhsNumber(value: string): string | undefined {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : undefined;
}

/** The NHS test range: 999 000 0000 to 999 999 9999, set aside for test data. */
export const TEST_RANGE_PREFIX = '999';
