import type { Patient } from './patient';

/**
 * Who may be shown through record-sharing surfaces. GP Connect and the UK Core read API share
 * only active, traced patients: not left, not deceased, NHS number verified, and never a patient
 * with the sensitive flag (reference/domain.md §1.6 and §1.7).
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
