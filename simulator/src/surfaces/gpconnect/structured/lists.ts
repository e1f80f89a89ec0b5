import type { Patient } from '../../../domain/patient';
import type { Resource } from '../stu3';
import { SNOMED, profile } from '../stu3';

/** Primary list codes and titles (GPC accessrecord_structured_development_lists_for_message_structure.md). */
export const primaryLists = {
  allergies: { code: '886921000000105', title: 'Allergies and adverse reactions' },
  endedAllergies: { code: '1103671000000101', title: 'Ended allergies' },
  consultations: { code: '1149501000000101', title: 'List of consultations' },
  diary: { code: '714311000000108', title: 'Patient recall administration' },
  immunisations: { code: '1102181000000102', title: 'Immunisations' },
  investigations: { code: '887191000000108', title: 'Investigations and results' },
  medication: { code: '933361000000108', title: 'Medications and medical devices' },
  referrals: { code: '792931000000107', title: 'Outbound referral' },
  problems: { code: '717711000000103', title: 'Problems' },
  uncategorised: { code: '826501000000100', title: 'Uncategorised data' },
} as const;
export type PrimaryList = keyof typeof primaryLists;

/** The secondary list code system (GPC accessrecord_structured_development_lists_for_message_structure.md). */
export const SECONDARY_LIST_SYSTEM = 'https://fhir.hl7.org.uk/STU3/CodeSystem/GPConnect-SecondaryListValues-1';

/**
 * The secondary lists for items contained in the consultations or linked to the problems returned,
 * per kind of item; codes as the spec's table spells them (referrals read "in consultations").
 */
export const secondaryListCodes = {
  consultations: {
    allergies: 'consultations-allergies-contained-in-consultations',
    endedAllergies: 'consultations-allergies-that-have-been-ended-contained-in-consultations',
    diary: 'consultations-diary-entries-contained-in-consultations',
    immunisations: 'consultations-immunisations-contained-in-consultations',
    investigations: 'consultations-investigations-contained-in-consultations',
    medications: 'consultations-medications-contained-in-consultations',
    referrals: 'consultations-outbound-referrals-in-consultations',
    problems: 'consultations-problems-contained-in-consultations',
    uncategorised: 'consultations-uncategorised-data-contained-in-consultations',
  },
  problems: {
    allergies: 'problems-allergies-related-to-problems',
    endedAllergies: 'problems-allergies-that-have-been-ended-related-to-problems',
    consultations: 'problems-consultations-related-to-problems',
    diary: 'problems-diary-entries-related-to-problems',
    immunisations: 'problems-immunisations-related-to-problems',
    investigations: 'problems-investigations-related-to-problems',
    medications: 'problems-medications-related-to-problems',
    referrals: 'problems-outbound-referrals-related-to-problems',
    uncategorised: 'problems-uncategorised-data-related-to-problems',
  },
} as const;
/**
 * The one related-problems List of any query: problems linked to an item of a primary List that
 * the query did not return as problems ("The secondary list for related problems").
 */
export const LINKED_PROBLEMS_LIST = 'problems-linked-problems-not-relating-to-the-primary-query';

export type SecondaryList =
  | (typeof secondaryListCodes.consultations)[keyof typeof secondaryListCodes.consultations]
  | (typeof secondaryListCodes.problems)[keyof typeof secondaryListCodes.problems]
  | typeof LINKED_PROBLEMS_LIST;

/** "consultations-allergies-contained-in-consultations" → "Consultations - allergies contained in consultations". */
export function secondaryListTitle(code: SecondaryList): string {
  const [area = '', ...rest] = code.split('-');
  return `${area.charAt(0).toUpperCase()}${area.slice(1)} - ${rest.join(' ')}`;
}

const WARNING_EXTENSION = profile('Extension-CareConnect-GPC-ListWarningCode-1');
const CLINICAL_SETTING_EXTENSION =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ClinicalSetting-1';
const EMPTY_REASON_SYSTEM = 'http://hl7.org/fhir/special-values';

export interface ListOptions {
  /** Items were withheld as confidential (or by patient preference). */
  confidentialWithheld: boolean;
  /** When the newest item still in the practice workflow for this patient arrived, if any. */
  awaitingFilingSince?: string;
  patient: Patient;
  date: string;
  id: string;
  contained?: Resource[];
}

/** dd-Mmm-yyyy, as the warning texts quote dates. */
function warningDate(date: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const [year = '', month = '01', day = '01'] = date.slice(0, 10).split('-');
  return `${day}-${months[Number(month) - 1] ?? 'Jan'}-${year}`;
}

/**
 * A primary List (CareConnect-GPC-List-1): status current, mode snapshot, the SNOMED code and title,
 * entries by reference, emptyReason when empty, and the warnings of GPC accessrecord_structured_development_list.md
 * (confidential-items, data-in-transit, data-awaiting-filing; domain.md §1.7) with their texts in `note`.
 */
export function primaryList(kind: PrimaryList, references: readonly string[], options: ListOptions): Resource {
  const { code, title } = primaryLists[kind];
  return clinicalList({ system: SNOMED, code, display: title }, references, options);
}

/**
 * A secondary List: the same profile, warnings and ordering as a primary one, coded from the
 * GPConnect-SecondaryListValues-1 code system with its display as the title.
 */
export function secondaryList(code: SecondaryList, references: readonly string[], options: ListOptions): Resource {
  return clinicalList({ system: SECONDARY_LIST_SYSTEM, code, display: secondaryListTitle(code) }, references, options);
}

function clinicalList(
  coding: { system: string; code: string; display: string },
  references: readonly string[],
  options: ListOptions,
): Resource {
  const title = coding.display;
  const warnings: { code: string; text: string }[] = [];
  if (options.confidentialWithheld) {
    warnings.push({
      code: 'confidential-items',
      text: 'Items excluded due to confidentiality and/or patient preferences.',
    });
  }
  if (options.patient.inTransitSince !== undefined) {
    warnings.push({
      code: 'data-in-transit',
      text: `Patient record transfer from previous GP practice not yet complete; information recorded before ${warningDate(options.patient.inTransitSince)} may be missing.`,
    });
  }
  if (options.awaitingFilingSince !== undefined) {
    warnings.push({
      code: 'data-awaiting-filing',
      text: `Patient record contains some items in the GP practice workflow that have not been reviewed for inclusion in this message; information recorded before ${warningDate(options.awaitingFilingSince)} may be missing.`,
    });
  }
  const empty = references.length === 0;
  return {
    resourceType: 'List',
    id: options.id,
    meta: { profile: [profile('CareConnect-GPC-List-1')] },
    ...(options.contained && options.contained.length > 0 ? { contained: options.contained } : {}),
    extension: [
      {
        url: CLINICAL_SETTING_EXTENSION,
        valueCodeableConcept: {
          coding: [{ system: SNOMED, code: '1060971000000108', display: 'General practice service' }],
        },
      },
      ...warnings.map((warning) => ({ url: WARNING_EXTENSION, valueCode: warning.code })),
    ],
    status: 'current',
    mode: 'snapshot',
    title,
    code: { coding: [coding] },
    subject: { reference: `Patient/${options.patient.id}` },
    date: options.date,
    orderedBy: {
      coding: [{ system: 'http://hl7.org/fhir/list-order', code: 'event-date', display: 'Sorted by Event Date' }],
    },
    ...(warnings.length > 0 ? { note: warnings.map((warning) => ({ text: warning.text })) } : {}),
    ...(empty
      ? {
          emptyReason: {
            coding: [{ system: EMPTY_REASON_SYSTEM, code: 'no-content-recorded', display: 'No Content Recorded' }],
            text: 'Information not available',
          },
        }
      : { entry: references.map((reference) => ({ item: { reference } })) }),
  };
}
