import { SimError } from '../../domain/errors';
import { dayNumber } from '../../population/dates';

/**
 * Reading FHIR search parameters (FHIR R4 http://hl7.org/fhir/R4/search.html). Unknown parameters
 * are ignored, as the FHIR default "lenient" handling says; a known parameter that is malformed,
 * repeated or carries a modifier this server does not support is a 400 that says how to fix it.
 */

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 500;

export interface Paging {
  count: number;
  offset: number;
}

function invalid(field: string, message: string): SimError {
  return new SimError('invalid-parameter', message, { field });
}

/** `_count` (page size, 0 for the total only; above the maximum it is capped) and `_offset`. */
export function parsePaging(query: URLSearchParams): Paging {
  const count = single(query, '_count');
  const offset = single(query, '_offset');
  return {
    count: count === undefined ? DEFAULT_COUNT : Math.min(wholeNumber(count, '_count'), MAX_COUNT),
    offset: offset === undefined ? 0 : wholeNumber(offset, '_offset'),
  };
}

function wholeNumber(text: string, field: string): number {
  if (!/^\d{1,9}$/.test(text)) {
    throw invalid(field, `${field} must be a whole number of 0 or more (got "${text}").`);
  }
  return Number(text);
}

/** A parameter that may appear at most once; undefined when absent. */
export function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) {
    throw invalid(name, `${name} may be given only once; combine the criteria into one value.`);
  }
  return values[0];
}

/** Like `single`, but an empty value is an error rather than a criterion that matches nothing. */
export function nonEmpty(query: URLSearchParams, name: string): string | undefined {
  const value = single(query, name);
  if (value !== undefined && value.trim() === '') throw invalid(name, `${name} must not be empty.`);
  return value;
}

/** Rejects modifiers (`family:exact`, `identifier:missing`) on the parameters this server knows. */
export function rejectModifiers(query: URLSearchParams, known: readonly string[]): void {
  for (const name of query.keys()) {
    const colon = name.indexOf(':');
    if (colon > 0 && known.includes(name.slice(0, colon))) {
      throw invalid(
        name,
        `The modifier in ${name} is not supported on this server; search with ${name.slice(0, colon)}=… without a modifier.`,
      );
    }
  }
}

export interface Token {
  /** Undefined when the value has no `|` (any system matches); '' for `|code` (no system). */
  system: string | undefined;
  code: string;
}

/** A token value: `system|code`, `|code` or `code`. */
export function parseToken(value: string): Token {
  const bar = value.indexOf('|');
  return bar === -1 ? { system: undefined, code: value } : { system: value.slice(0, bar), code: value.slice(bar + 1) };
}

export interface DayRange {
  from: number;
  to: number;
}

/**
 * A birth date: `YYYY-MM-DD`, or a whole month or year (`YYYY-MM`, `YYYY`) meaning every day in
 * it, as FHIR date searches do; optionally with the `eq` prefix. Other prefixes are refused.
 */
export function parseBirthdate(value: string): DayRange {
  const date = value.startsWith('eq') ? value.slice(2) : value;
  if (/^[a-z]{2}/.test(date)) {
    throw invalid(
      'birthdate',
      `birthdate supports only the eq prefix on this server (got "${value}"); give the date itself, e.g. birthdate=1962-02-16.`,
    );
  }
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  const year = Number(match?.[1]);
  const month = match?.[2] === undefined ? undefined : Number(match[2]);
  const day = match?.[3] === undefined ? undefined : Number(match[3]);
  // Years before 1000 are refused: no patient is that old, and Date.UTC would read 0050 as 1950.
  const valid =
    match !== null &&
    year >= 1000 &&
    (month === undefined || (month >= 1 && month <= 12)) &&
    (day === undefined || (day >= 1 && day <= daysInMonth(year, month as number)));
  if (!valid) {
    throw invalid('birthdate', `birthdate must be a date written YYYY-MM-DD (or YYYY-MM, YYYY); got "${value}".`);
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  if (day !== undefined) {
    const only = dayNumber(date);
    return { from: only, to: only };
  }
  if (month !== undefined) {
    return {
      from: dayNumber(`${year}-${pad(month)}-01`),
      to: dayNumber(`${year}-${pad(month)}-${pad(daysInMonth(year, month))}`),
    };
  }
  return { from: dayNumber(`${year}-01-01`), to: dayNumber(`${year}-12-31`) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The patient a `patient` parameter names: a logical id, `Patient/{id}` or an absolute URL ending
 * in `Patient/{id}`. Anything naming another resource type is an error.
 */
export function parsePatientReference(value: string): string {
  const match = /^(?:(?:https?:\/\/.*\/)?Patient\/)?([A-Za-z0-9\-.]{1,64})$/.exec(value);
  if (!match) {
    throw invalid('patient', `patient must be a Patient id or Patient/{id} (got "${value}").`);
  }
  return match[1] as string;
}
