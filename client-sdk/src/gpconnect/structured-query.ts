import type { Parameters, ParametersParameter } from './wire-types.js';

/** A search period: a start, an end, or both (whole dates YYYY-MM-DD, not in the future). */
export type Period = { start: string; end?: string } | { start?: string; end: string };

export interface Allergies {
  includeResolved: boolean;
}

/** Clinical areas with every part the broad query may send. */
export interface BroadSections {
  allergies?: Allergies;
  medication?: { includeIssues?: boolean; fromDate?: string };
  immunisations?: { includeNotGiven?: boolean; includeStatus?: boolean };
  uncategorised?: { period?: Period };
  investigations?: { period?: Period };
  referrals?: { period?: Period };
  diary?: { onOrBefore?: string };
}

/**
 * The same areas as a focused query (includeConsultations or includeProblems) may send them: the
 * date and status filters the spec bans in that combination are typed `never`.
 */
export interface FocusedSections {
  allergies?: Allergies;
  medication?: { includeIssues?: boolean; fromDate?: never };
  immunisations?: { includeNotGiven?: never; includeStatus?: never };
  uncategorised?: { period?: never };
  investigations?: { period?: Period };
  referrals?: { period?: never };
  diary?: { onOrBefore?: never };
}

/** includeConsultations: a period or a number of most recent consultations, never both. */
export type Consultations =
  | { period: Period; mostRecent?: never }
  | { mostRecent: number; period?: never }
  | { period?: never; mostRecent?: never };

/** The patient the record is for. */
export interface RecordSubject {
  nhsNumber: string;
}

export type BroadQuery = RecordSubject & BroadSections & { consultations?: never; problems?: never };
export type ProblemsQuery = RecordSubject &
  FocusedSections & { problems: { status?: 'active' | 'inactive' }; consultations?: never };
export type ConsultationsQuery = RecordSubject &
  FocusedSections & { consultations: Consultations; problems?: { status?: never } };

/**
 * What to ask $gpc.getstructuredrecord for (GPC accessrecord_structured_development_retrieve_patient_record.md).
 * The banned combinations — date or status filters alongside includeConsultations or
 * includeProblems, and a consultation period together with a most-recent count — do not compile.
 */
export type StructuredRecordQuery = BroadQuery | ProblemsQuery | ConsultationsQuery;

const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

type Part = NonNullable<ParametersParameter['part']>[number];

const boolean = (name: string, value: boolean | undefined): Part[] =>
  value === undefined ? [] : [{ name, valueBoolean: value }];
const date = (name: string, value: string | undefined): Part[] =>
  value === undefined ? [] : [{ name, valueDate: value }];
const period = (name: string, value: Period | undefined): Part[] =>
  value === undefined ? [] : [{ name, valuePeriod: { ...value } }];

/** Builds the Parameters resource for a query, parts in the order the spec lists them. */
export function structuredRecordParameters(query: StructuredRecordQuery): Parameters {
  const parameter: ParametersParameter[] = [
    { name: 'patientNHSNumber', valueIdentifier: { system: NHS_NUMBER_SYSTEM, value: query.nhsNumber } },
  ];
  const add = (name: string, parts: Part[]) => parameter.push(parts.length ? { name, part: parts } : { name });
  const q = query as RecordSubject &
    BroadSections & { consultations?: { period?: Period; mostRecent?: number } } & {
      problems?: { status?: 'active' | 'inactive' };
    };
  if (q.allergies) add('includeAllergies', boolean('includeResolvedAllergies', q.allergies.includeResolved));
  if (q.medication)
    add('includeMedication', [
      ...boolean('includePrescriptionIssues', q.medication.includeIssues),
      ...date('medicationSearchFromDate', q.medication.fromDate),
    ]);
  if (q.consultations)
    add('includeConsultations', [
      ...period('consultationSearchPeriod', q.consultations.period),
      ...(q.consultations.mostRecent === undefined
        ? []
        : [{ name: 'includeNumberOfMostRecent', valuePositiveInt: q.consultations.mostRecent }]),
    ]);
  if (q.problems)
    add(
      'includeProblems',
      q.problems.status === undefined ? [] : [{ name: 'filterStatus', valueCode: q.problems.status }],
    );
  if (q.immunisations)
    add('includeImmunisations', [
      ...boolean('includeNotGiven', q.immunisations.includeNotGiven),
      ...boolean('includeStatus', q.immunisations.includeStatus),
    ]);
  if (q.uncategorised) add('includeUncategorisedData', period('uncategorisedDataSearchPeriod', q.uncategorised.period));
  if (q.investigations) add('includeInvestigations', period('investigationSearchPeriod', q.investigations.period));
  if (q.referrals) add('includeReferrals', period('referralSearchPeriod', q.referrals.period));
  if (q.diary) add('includeDiaryEntries', date('diaryEntriesSearchDate', q.diary.onOrBefore));
  return { resourceType: 'Parameters', parameter };
}

/**
 * What to ask $gpc.migratestructuredrecord for (GPC accessrecord_structured_development_migrate_patient_record.md):
 * without `fullRecord` only the patient and practice come back; with it, every clinical area in full,
 * sensitive items only when `includeSensitive` is true.
 */
export interface MigrateRecordQuery extends RecordSubject {
  fullRecord?: { includeSensitive: boolean };
}

/** Builds the Parameters resource for a migration: patientNHSNumber, then includeFullRecord. */
export function migrateRecordParameters(query: MigrateRecordQuery): Parameters {
  const parameter: ParametersParameter[] = [
    { name: 'patientNHSNumber', valueIdentifier: { system: NHS_NUMBER_SYSTEM, value: query.nhsNumber } },
  ];
  if (query.fullRecord)
    parameter.push({
      name: 'includeFullRecord',
      part: boolean('includeSensitiveInformation', query.fullRecord.includeSensitive),
    });
  return { resourceType: 'Parameters', parameter };
}
