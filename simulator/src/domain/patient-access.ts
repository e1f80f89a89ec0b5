import type { EntryBase } from './clinical-record';
import type { Patient } from './patient';

/**
 * Who may be shown through cross-organisation record sharing. GP Connect shares only active,
 * traced patients: not left, not deceased, NHS number verified, and never a patient with the
 * sensitive flag (reference/domain.md §1.6 and §1.7). The UK Core read API has its own rule below.
 */
export function isActiveRegistration(patient: Patient): boolean {
  return patient.registration.status === 'A' && patient.deceasedDate === undefined;
}

export function isShareable(patient: Patient): boolean {
  return isActiveRegistration(patient) && !patient.sensitive && patient.nhsNumberStatus === '01';
}

/**
 * What PDS withholds for a sensitive ("restricted") patient: every way of finding them — home
 * address, contact details and registered practice (reference/domain.md §5.2).
 */
export const restrictedFields = ['address', 'telecom', 'generalPractitioner'] as const;
export type RestrictedField = (typeof restrictedFields)[number];

export function isRestricted(patient: Patient): boolean {
  return patient.sensitive;
}

/**
 * Who the UK Core R4 read API shows. It is the practice's own API (the `iss` of apps launched from
 * the clinical system), so records that left the list or belong to the deceased stay readable, as
 * they do in the clinical system, marked `active: false` / `deceasedDateTime`. Only the sensitive
 * flag hides a patient: reads answer 404 and searches leave them out, never revealing they exist.
 */
export function isVisibleOnRecordApi(patient: Patient): boolean {
  return !patient.sensitive;
}

/** Entries marked confidential are withheld from every sharing surface. */
export function isShareableEntry(entry: Pick<EntryBase, 'confidential'>): boolean {
  return entry.confidential !== true;
}

/** Whether PDS holds the patient at all (the unverified archetype was never traced onto PDS). */
export function isOnPds(patient: Patient): boolean {
  return patient.onPds;
}

/** The fields PDS removes from this patient's demographics: every restricted field, or none. */
export function withheldFields(patient: Patient): readonly RestrictedField[] {
  return isRestricted(patient) ? restrictedFields : [];
}

/**
 * PDS never returns a restricted patient to a search that names a location (postcode or
 * registered practice), even when they match: the search itself could reveal where they live.
 */
export function isReturnedToLocationSearch(patient: Patient): boolean {
  return !isRestricted(patient);
}
