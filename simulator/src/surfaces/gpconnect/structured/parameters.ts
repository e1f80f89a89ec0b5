import { SimError } from '../../../domain/errors';
import { NHS_NUMBER_SYSTEM, isValidNhsNumber } from '../../../domain/nhs-number';

/**
 * The getstructuredrecord Parameters (GPC accessrecord_structured_development_retrieve_patient_record.md,
 * reference/domain.md §1.7): every parameter and part, their value types, the date rules and the
 * banned combinations, each failure naming the parameter at fault.
 */
export interface DateRange {
  start?: string;
  end?: string;
}

export interface StructuredQuery {
  nhsNumber: string;
  allergies?: { includeResolved: boolean };
  medication?: { includeIssues: boolean; fromDate?: string };
  consultations?: { period?: DateRange; mostRecent?: number };
  problems?: { status?: 'active' | 'inactive' };
  immunisations?: { includeNotGiven: boolean; includeStatus: boolean };
  uncategorised?: { period?: DateRange };
  investigations?: { period?: DateRange };
  referrals?: { period?: DateRange };
  diary?: { onOrBefore?: string };
  /** Parameters this provider does not know: answered with a NOT_IMPLEMENTED warning, never an error. */
  unrecognised: string[];
}

type ValueType = 'boolean' | 'date' | 'period' | 'positiveInt' | 'code';

const parts: Record<string, Record<string, ValueType>> = {
  includeAllergies: { includeResolvedAllergies: 'boolean' },
  includeMedication: { includePrescriptionIssues: 'boolean', medicationSearchFromDate: 'date' },
  includeConsultations: { consultationSearchPeriod: 'period', includeNumberOfMostRecent: 'positiveInt' },
  includeProblems: { filterStatus: 'code' },
  includeImmunisations: { includeNotGiven: 'boolean', includeStatus: 'boolean' },
  includeUncategorisedData: { uncategorisedDataSearchPeriod: 'period' },
  includeInvestigations: { investigationSearchPeriod: 'period' },
  includeReferrals: { referralSearchPeriod: 'period' },
  includeDiaryEntries: { diaryEntriesSearchDate: 'date' },
};

const valueElement: Record<ValueType, string> = {
  boolean: 'valueBoolean',
  date: 'valueDate',
  period: 'valuePeriod',
  positiveInt: 'valuePositiveInt',
  code: 'valueCode',
};

/** Parts that may not accompany includeConsultations (and, except filterStatus, includeProblems). */
const bannedWithFocusedQuery = [
  'medicationSearchFromDate',
  'uncategorisedDataSearchPeriod',
  'filterStatus',
  'referralSearchPeriod',
  'diaryEntriesSearchDate',
  'includeNotGiven',
  'includeStatus',
];

const MAX_PARAMETERS = 64;
const WHOLE_DATE = /^\d{4}-\d{2}-\d{2}$/;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalidParameter = (field: string, message: string) =>
  new SimError('invalid-parameter', `${field}: ${message}`, { field });
const invalidResource = (message: string, field?: string) =>
  new SimError('invalid-resource', message, field === undefined ? {} : { field });

function wholeDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !WHOLE_DATE.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalidParameter(
      field,
      `"${String(value)}" must be a whole date YYYY-MM-DD (no partial date, time or offset).`,
    );
  }
  return value;
}

function pastDate(value: unknown, field: string, today: string): string {
  const date = wholeDate(value, field);
  if (date > today) throw invalidParameter(field, `${date} is in the future; use a date on or before ${today}.`);
  return date;
}

function period(value: Json, field: string, today: string): DateRange {
  const start = value['start'] === undefined ? undefined : pastDate(value['start'], `${field}.start`, today);
  const end = value['end'] === undefined ? undefined : pastDate(value['end'], `${field}.end`, today);
  if (start === undefined && end === undefined) throw invalidParameter(field, 'a period needs a start or an end date.');
  if (start !== undefined && end !== undefined && start > end) {
    throw invalidParameter(field, `start ${start} is after end ${end}.`);
  }
  return { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
}

function typedValue(part: Json, type: ValueType, field: string): unknown {
  const element = valueElement[type];
  const value = part[element];
  if (value === undefined || value === null) throw invalidParameter(field, `needs a value in ${element}.`);
  const ok =
    (type === 'boolean' && typeof value === 'boolean') ||
    (type === 'date' && typeof value === 'string') ||
    (type === 'period' && isObject(value)) ||
    (type === 'positiveInt' && typeof value === 'number' && Number.isInteger(value) && value > 0) ||
    (type === 'code' && typeof value === 'string');
  if (!ok) throw invalidParameter(field, `${element} is not a valid ${type}.`);
  return value;
}

/** Parses the request body; `today` is the simulated date (YYYY-MM-DD). */
export function parseStructuredQuery(body: Buffer, today: string): StructuredQuery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidResource('The request body is not JSON: send a FHIR Parameters resource.');
  }
  if (!isObject(parsed) || parsed['resourceType'] !== 'Parameters' || !Array.isArray(parsed['parameter'])) {
    throw invalidResource('The request body must be a FHIR Parameters resource with a parameter array.');
  }
  const list = parsed['parameter'] as unknown[];
  if (list.length > MAX_PARAMETERS) throw invalidResource(`At most ${MAX_PARAMETERS} parameters are accepted.`);

  const seen = new Map<string, Record<string, unknown>>();
  const unrecognised: string[] = [];
  let nhsNumber: string | undefined;
  for (const entry of list) {
    if (!isObject(entry) || typeof entry['name'] !== 'string') {
      throw invalidResource('Every parameter needs a name.');
    }
    const name = entry['name'];
    if (seen.has(name) || (name === 'patientNHSNumber' && nhsNumber !== undefined)) {
      throw invalidParameter(name, 'appears more than once; send it at most once.');
    }
    if (name === 'patientNHSNumber') {
      nhsNumber = patientNhsNumber(entry);
      continue;
    }
    const known = parts[name];
    if (!known) {
      unrecognised.push(name);
      continue;
    }
    const values: Record<string, unknown> = {};
    const entryParts = entry['part'];
    if (entryParts !== undefined && !Array.isArray(entryParts))
      throw invalidResource(`${name}.part must be an array.`, name);
    for (const part of (entryParts ?? []) as unknown[]) {
      if (!isObject(part) || typeof part['name'] !== 'string')
        throw invalidResource(`Every part of ${name} needs a name.`, name);
      const partName = part['name'];
      const type = known[partName];
      if (type === undefined) {
        unrecognised.push(`${name}.${partName}`);
        continue;
      }
      if (partName in values) throw invalidParameter(partName, 'appears more than once; send it at most once.');
      values[partName] = typedValue(part, type, partName);
    }
    seen.set(name, values);
  }
  if (nhsNumber === undefined) {
    throw invalidParameter('patientNHSNumber', 'the patientNHSNumber parameter is mandatory.');
  }
  if (seen.size === 0 && unrecognised.length === 0) {
    throw invalidParameter('Parameters', 'ask for at least one clinical area, e.g. includeAllergies.');
  }
  return buildQuery(nhsNumber, seen, unrecognised, today);
}

export function patientNhsNumber(entry: Json): string {
  const identifier = entry['valueIdentifier'];
  if (!isObject(identifier)) {
    throw invalidParameter('patientNHSNumber', `send valueIdentifier with system ${NHS_NUMBER_SYSTEM}.`);
  }
  if (identifier['system'] !== NHS_NUMBER_SYSTEM) {
    throw new SimError(
      'invalid-identifier-system',
      `patientNHSNumber: identifier system must be ${NHS_NUMBER_SYSTEM}.`,
      { field: 'patientNHSNumber' },
    );
  }
  const value = identifier['value'];
  if (typeof value !== 'string' || !isValidNhsNumber(value)) {
    throw new SimError(
      'invalid-nhs-number',
      `patientNHSNumber: "${String(value)}" is not a valid NHS number (10 digits with a Mod 11 check digit).`,
      { field: 'patientNHSNumber' },
    );
  }
  return value;
}

function buildQuery(
  nhsNumber: string,
  seen: Map<string, Record<string, unknown>>,
  unrecognised: string[],
  today: string,
): StructuredQuery {
  const all = new Set<string>();
  for (const values of seen.values()) for (const name of Object.keys(values)) all.add(name);
  if (seen.has('includeConsultations')) {
    const banned = bannedWithFocusedQuery.find((name) => all.has(name));
    if (banned) throw invalidParameter(banned, 'cannot be combined with includeConsultations.');
  }
  if (seen.has('includeProblems')) {
    const banned = bannedWithFocusedQuery.find((name) => name !== 'filterStatus' && all.has(name));
    if (banned) throw invalidParameter(banned, 'cannot be combined with includeProblems.');
  }
  const query: StructuredQuery = { nhsNumber, unrecognised };
  const allergies = seen.get('includeAllergies');
  if (allergies) {
    if (allergies['includeResolvedAllergies'] === undefined) {
      throw invalidParameter('includeResolvedAllergies', 'is mandatory whenever includeAllergies is sent.');
    }
    query.allergies = { includeResolved: allergies['includeResolvedAllergies'] as boolean };
  }
  const medication = seen.get('includeMedication');
  if (medication) {
    const from = medication['medicationSearchFromDate'];
    query.medication = {
      includeIssues: (medication['includePrescriptionIssues'] as boolean | undefined) ?? true,
      ...(from === undefined ? {} : { fromDate: pastDate(from, 'medicationSearchFromDate', today) }),
    };
  }
  const consultations = seen.get('includeConsultations');
  if (consultations) {
    const searchPeriod = consultations['consultationSearchPeriod'] as Json | undefined;
    const mostRecent = consultations['includeNumberOfMostRecent'] as number | undefined;
    if (searchPeriod !== undefined && mostRecent !== undefined) {
      throw invalidResource(
        'consultationSearchPeriod and includeNumberOfMostRecent cannot be sent together; choose one.',
        'includeNumberOfMostRecent',
      );
    }
    query.consultations = {
      ...(searchPeriod === undefined ? {} : { period: period(searchPeriod, 'consultationSearchPeriod', today) }),
      ...(mostRecent === undefined ? {} : { mostRecent }),
    };
  }
  const problems = seen.get('includeProblems');
  if (problems) {
    const status = problems['filterStatus'];
    if (status !== undefined && status !== 'active' && status !== 'inactive') {
      throw invalidParameter('filterStatus', `"${String(status)}" is not allowed; use active or inactive.`);
    }
    query.problems = status === undefined ? {} : { status };
  }
  const immunisations = seen.get('includeImmunisations');
  if (immunisations) {
    query.immunisations = {
      includeNotGiven: (immunisations['includeNotGiven'] as boolean | undefined) ?? false,
      includeStatus: (immunisations['includeStatus'] as boolean | undefined) ?? true,
    };
  }
  const periodArea = (parameter: string, part: string) => {
    const values = seen.get(parameter);
    if (!values) return undefined;
    const value = values[part] as Json | undefined;
    return value === undefined ? {} : { period: period(value, part, today) };
  };
  const uncategorised = periodArea('includeUncategorisedData', 'uncategorisedDataSearchPeriod');
  if (uncategorised) query.uncategorised = uncategorised;
  const investigations = periodArea('includeInvestigations', 'investigationSearchPeriod');
  if (investigations) query.investigations = investigations;
  const referrals = periodArea('includeReferrals', 'referralSearchPeriod');
  if (referrals) query.referrals = referrals;
  const diary = seen.get('includeDiaryEntries');
  if (diary) {
    const date = diary['diaryEntriesSearchDate'];
    if (date !== undefined) {
      const onOrBefore = wholeDate(date, 'diaryEntriesSearchDate');
      if (onOrBefore < today) {
        throw invalidParameter(
          'diaryEntriesSearchDate',
          `${onOrBefore} is in the past; use today (${today}) or later.`,
        );
      }
      query.diary = { onOrBefore };
    } else {
      query.diary = {};
    }
  }
  return query;
}
