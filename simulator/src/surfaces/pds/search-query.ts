import type { Sex } from '../../domain/patient';
import { dayNumber } from '../../population/dates';
import { foldName } from '../../population/demographic-index';
import { pdsBadRequest } from './pds-errors';
import { soundex } from './soundex';

/**
 * PDS patient search parameters and their rules, read from the PDS FHIR specification
 * (NHSDigital/personal-demographics-service-api, specification/personal-demographics.yaml and
 * components/paths/patient-search.yaml) and, for the order of checks and the exact diagnostics,
 * its sandbox (karate-tests/src/test/java/mocks/sandbox/get-patient-search.js).
 */

/** The parameters patient-search.yaml lists (lines 244-258); anything else is ADDITIONAL_PROPERTIES. */
export const searchParameters = [
  '_fuzzy-match',
  '_exact-match',
  '_history',
  '_max-results',
  'family',
  'given',
  'gender',
  'birthdate',
  'death-date',
  'address-postalcode',
  'address-postcode',
  'general-practitioner',
  'email',
  'phone',
] as const;

/** _max-results for healthcare worker access: 1 to 50, default 50 (personal-demographics.yaml lines 481-486). */
export const MAX_RESULTS_LIMIT = 50;
/** Family and given names are at most 35 characters (personal-demographics.yaml lines 498, 517). */
const MAX_NAME_LENGTH = 35;

/** A name or postcode as searched: the folded text, or an anchored pattern when it has wildcards. */
export interface TextCriterion {
  text: string;
  pattern: RegExp | undefined;
  /** Soundex of the text, for fuzzy matching (names only; '' for postcodes). */
  soundex: string;
}

export interface DayRange {
  from: number;
  to: number;
}

export interface PdsSearchQuery {
  fuzzy: boolean;
  exactMatch: boolean;
  maxResults: number;
  family: TextCriterion | undefined;
  given: TextCriterion[];
  gender: Sex | undefined;
  birthdate: DayRange;
  deathDate: DayRange | undefined;
  postcode: TextCriterion | undefined;
  /** Upper-case ODS code of the registered practice. */
  generalPractitioner: string | undefined;
  /** Lower-case email address. */
  email: string | undefined;
  /** Phone number without spaces. */
  phone: string | undefined;
}

const MINIMUM_NOT_MET =
  "Invalid search data provided - 'No searches were performed as the search criteria did not meet the minimum requirements'";

/** Parses and checks a search, in the order the PDS sandbox checks it; throws the PDS 400 for the first fault. */
export function parsePdsSearch(query: URLSearchParams): PdsSearchQuery {
  const names = [...new Set(query.keys())];
  // No parameters at all (patient-search.yaml line 286: 400 UNSUPPORTED_SERVICE).
  if (names.length === 0) throw pdsBadRequest('UNSUPPORTED_SERVICE', 'No search parameters were provided.');
  // Unrecognised parameters (line 289: 400 ADDITIONAL_PROPERTIES; wording from the sandbox).
  const unexpected = names.filter((name) => !(searchParameters as readonly string[]).includes(name));
  if (unexpected.length > 0) {
    const listed = unexpected.map((name) => `'${name}'`).join(', ');
    throw pdsBadRequest(
      'ADDITIONAL_PROPERTIES',
      `Invalid request with error - Additional properties are not allowed (${listed} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
      unexpected[0],
    );
  }
  for (const name of names) {
    if (name !== 'given' && name !== 'birthdate' && query.getAll(name).length > 1) {
      throw pdsBadRequest('INVALID_VALUE', `Invalid value - '${name}' may be given only once`, name);
    }
  }

  // Dates come first among the values (sandbox validateDateFields): <eq|ge|le>yyyy-mm-dd.
  const birthdates = query.getAll('birthdate');
  const deathDates = query.getAll('death-date');
  const birthdate = birthdates.length > 0 ? dateRange(birthdates, 'birthdate') : undefined;
  const deathDate = deathDates.length > 0 ? dateRange(deathDates, 'death-date') : undefined;

  const fuzzy = booleanParam(query, '_fuzzy-match');
  const exactMatch = booleanParam(query, '_exact-match');
  booleanParam(query, '_history'); // accepted; gpsim holds no history to search
  const maxResults = maxResultsParam(query);
  const familyValue = query.get('family') ?? undefined;
  const family = familyValue === undefined ? undefined : nameCriterion(familyValue, 'family', fuzzy);
  const given = query.getAll('given').map((value) => nameCriterion(value, 'given', fuzzy));
  const gender = genderParam(query);
  if (query.has('address-postalcode') && query.has('address-postcode')) {
    // personal-demographics.yaml lines 617-618.
    throw pdsBadRequest(
      'INVALID_SEARCH_DATA',
      "Invalid search data provided - give the postcode once, in 'address-postalcode' ('address-postcode' is deprecated)",
      'address-postcode',
    );
  }
  const postcodeName = query.has('address-postcode') ? 'address-postcode' : 'address-postalcode';
  const postcodeValue = query.get(postcodeName) ?? undefined;
  const postcode = postcodeValue === undefined ? undefined : postcodeCriterion(postcodeValue, postcodeName, fuzzy);
  const generalPractitioner = nonEmptyParam(query, 'general-practitioner')?.toUpperCase();
  const email = nonEmptyParam(query, 'email')?.toLowerCase();
  const phone = nonEmptyParam(query, 'phone')?.replace(/\s+/g, '');

  // Every allowed combination includes the date of birth (sandbox validateRequiredFields, searchErrors.feature).
  if (!birthdate) {
    throw pdsBadRequest(
      'MISSING_VALUE',
      "Missing value - 'birth_date/birth_date_range_start/birth_date_range_end'",
      'birthdate',
    );
  }
  // Minimum parameters (patient-search.yaml lines 122-124 and 137-140).
  const meetsMinimum = fuzzy
    ? (given.length > 0 && family !== undefined) ||
      (family !== undefined && gender !== undefined && postcode !== undefined) ||
      (given.length > 0 && gender !== undefined && postcode !== undefined)
    : family !== undefined;
  if (!meetsMinimum) throw pdsBadRequest('INVALID_SEARCH_DATA', MINIMUM_NOT_MET);

  return {
    fuzzy,
    exactMatch,
    maxResults,
    family,
    given,
    gender,
    birthdate,
    deathDate,
    postcode,
    generalPractitioner,
    email,
    phone,
  };
}

function invalidValue(value: string, field: string): never {
  throw pdsBadRequest('INVALID_VALUE', `Invalid value - '${value}' in field '${field}'`, field);
}

function nonEmptyParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value.trim() === '') invalidValue(value, name);
  return value.trim();
}

function booleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  if (value !== 'true' && value !== 'false') invalidValue(value, name);
  return value === 'true';
}

function maxResultsParam(query: URLSearchParams): number {
  const value = query.get('_max-results');
  if (value === null) return MAX_RESULTS_LIMIT;
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_RESULTS_LIMIT) {
    invalidValue(value, '_max-results');
  }
  return Number(value);
}

const genders: readonly Sex[] = ['male', 'female', 'other', 'unknown'];

/** gender is one of male, female, other, unknown (personal-demographics.yaml lines 537-549). */
function genderParam(query: URLSearchParams): Sex | undefined {
  const value = query.get('gender');
  if (value === null) return undefined;
  const gender = genders.find((candidate) => candidate === value);
  if (!gender) invalidValue(value, 'gender');
  return gender;
}

/**
 * A date, `<eq|ge|le>yyyy-mm-dd` (personal-demographics.yaml lines 551-593): one value, or a range
 * given as one ge and one le value.
 */
function dateRange(values: readonly string[], field: string): DayRange {
  let from = -Infinity;
  let to = Infinity;
  for (const value of values) {
    const match = /^(eq|ge|le)?(\d{4}-\d{2}-\d{2})$/.exec(value);
    const date = match?.[2];
    if (!match || date === undefined || !isCalendarDate(date)) invalidValue(value, field);
    const day = dayNumber(date);
    const prefix = match[1] ?? 'eq';
    if (values.length > 1 && prefix === 'eq') {
      throw pdsBadRequest(
        'INVALID_SEARCH_DATA',
        `Invalid search data provided - give '${field}' once (eq) or as a range (ge and le), not '${values.join("', '")}'`,
        field,
      );
    }
    if (prefix !== 'le') from = Math.max(from, day);
    if (prefix !== 'ge') to = Math.min(to, day);
  }
  if (values.length > 2 || (values.length === 2 && values[0]?.slice(0, 2) === values[1]?.slice(0, 2))) {
    throw pdsBadRequest(
      'INVALID_SEARCH_DATA',
      `Invalid search data provided - a '${field}' range is one ge value and one le value`,
      field,
    );
  }
  return { from, to };
}

function isCalendarDate(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return (
    year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
  );
}

/**
 * Wildcards: `*`, not in the first two characters and never in a fuzzy search (personal-demographics.yaml
 * lines 499, 518, 601). The pattern matches from the start of the name (line 519), so it is anchored.
 */
function wildcardPattern(text: string, field: string, fuzzy: boolean): RegExp | undefined {
  const star = text.indexOf('*');
  if (star === -1) return undefined;
  if (fuzzy) {
    throw pdsBadRequest(
      'INVALID_SEARCH_DATA',
      `Invalid search data provided - wildcards cannot be used in '${field}' with _fuzzy-match`,
      field,
    );
  }
  if (star < 2) {
    throw pdsBadRequest(
      'INVALID_SEARCH_DATA',
      `Invalid search data provided - a wildcard in '${field}' must follow at least two characters`,
      field,
    );
  }
  const source = text
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

function nameCriterion(value: string, field: string, fuzzy: boolean): TextCriterion {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_NAME_LENGTH) invalidValue(value, field);
  const text = foldName(trimmed);
  return { text, pattern: wildcardPattern(text, field, fuzzy), soundex: soundex(text) };
}

/** Postcodes: case-insensitive, spaces ignored (personal-demographics.yaml lines 597-602). */
function postcodeCriterion(value: string, field: string, fuzzy: boolean): TextCriterion {
  const text = normalisePostcode(value);
  if (text === '') invalidValue(value, field);
  return { text, pattern: wildcardPattern(text, field, fuzzy), soundex: '' };
}

export function normalisePostcode(postcode: string): string {
  return postcode.replace(/\s+/g, '').toUpperCase();
}
