import { SimError } from './errors';
import type { Patient } from './patient';
import { isShareable } from './patient-access';

/**
 * Who GP Connect shows (reference/domain.md §1.6, §1.7; GPC accessrecord_structured_development_retrieve_patient_record.md):
 * only active, traced and verified patients ("Not Left and Not Deceased"), never a sensitive one.
 * Unknown, inactive, deceased, unverified and sensitive patients all answer PATIENT_NOT_FOUND, so a
 * refusal never reveals that a record exists.
 */
export function isFoundOnGpConnect(patient: Patient): boolean {
  return isShareable(patient);
}

/**
 * Record sharing (structured record, documents) adds two rules: only a regular (GMS) registration
 * is shared (non-GMS → PATIENT_NOT_FOUND), and a patient who dissented answers NO_PATIENT_CONSENT.
 */
export function assertRecordShareable(patient: Patient, nhsNumber: string): void {
  if (!isFoundOnGpConnect(patient) || patient.registration.type !== 'R') {
    throw new SimError(
      'patient-not-found',
      `No patient with NHS number ${nhsNumber} whose record this practice can share.`,
    );
  }
  if (patient.dissent) {
    throw new SimError(
      'consent-withheld',
      `The patient with NHS number ${nhsNumber} has dissented from sharing their record; it cannot be retrieved.`,
    );
  }
}
