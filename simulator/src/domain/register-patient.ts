import { SimError } from './errors';
import type { Practice } from './estate';
import type { Patient } from './patient';
import { isActiveRegistration } from './patient-access';
import type { NhsNumberLookup } from '../population/population';
import type { SpineStatus } from './spine';

/** A temporary registration made through GP Connect (never a GMS registration, never a PDS change). */
export interface TemporaryRegistration {
  ods: string;
  nhsNumber: string;
  patientOrdinal: number;
  registeredAt: string;
}

export interface RegistrationDemographics {
  nhsNumber: string;
  family: string;
  given: string;
  birthDate: string;
}

const demographicsError = (message: string) =>
  new SimError('invalid-request', message, { detail: { spineCode: 'INVALID_PATIENT_DEMOGRAPHICS' } });

/**
 * PDS verification of the demographics sent (GPC foundations_use_case_register_a_patient.md, as for
 * find patient): the date of birth matches exactly, or two of its three parts match together with
 * the first three letters of the family name and the initial of the given name.
 */
export function demographicsMatch(patient: Patient, sent: RegistrationDemographics): boolean {
  if (patient.birthDate === sent.birthDate) return true;
  const ours = patient.birthDate.split('-');
  const theirs = sent.birthDate.split('-');
  const sameParts = ours.filter((part, index) => part === theirs[index]).length;
  const family = (name: string) => name.trim().toLowerCase().slice(0, 3);
  const initial = (name: string) => name.trim().toLowerCase().slice(0, 1);
  return (
    sameParts >= 2 &&
    family(patient.name.family) === family(sent.family) &&
    initial(patient.name.given[0] ?? '') === initial(sent.given)
  );
}

/**
 * The provider's register-patient logic (GPC foundations_use_case_register_a_patient.md): a PDS
 * trace (500 INTERNAL_SERVER_ERROR when PDS cannot be reached), then refusals for a number PDS does
 * not hold or whose demographics do not verify, deceased and sensitive patients
 * (INVALID_PATIENT_DEMOGRAPHICS) and superseded numbers (INVALID_NHS_NUMBER); a patient already
 * actively registered here is a duplicate (409). Returns the patient to register temporarily.
 */
export function tracePatientForRegistration(
  spine: SpineStatus,
  lookup: NhsNumberLookup | undefined,
  practice: Practice,
  sent: RegistrationDemographics,
): Patient {
  try {
    spine.assertAvailable('The PDS trace of register patient');
  } catch (error) {
    throw new SimError('internal', error instanceof Error ? error.message : 'PDS is unavailable; try again later.');
  }
  if (!lookup || !lookup.patient.onPds) {
    throw demographicsError(
      `PDS holds no patient with NHS number ${sent.nhsNumber}; check the number with the patient.`,
    );
  }
  if (lookup.superseded) {
    throw new SimError(
      'invalid-nhs-number',
      `NHS number ${sent.nhsNumber} is superseded on PDS; register the patient with their current number.`,
    );
  }
  const { patient } = lookup;
  if (patient.deceasedDate !== undefined) {
    throw demographicsError(`PDS records the patient with NHS number ${sent.nhsNumber} as deceased.`);
  }
  if (patient.sensitive) {
    throw demographicsError(`The patient with NHS number ${sent.nhsNumber} cannot be registered through GP Connect.`);
  }
  if (!demographicsMatch(patient, sent)) {
    throw demographicsError(
      `The name and date of birth sent do not match PDS for NHS number ${sent.nhsNumber}; check them with the patient.`,
    );
  }
  if (patient.practiceIndex === practice.index && isActiveRegistration(patient)) {
    throw new SimError('duplicate', `The patient is already actively registered at ${practice.ods}.`);
  }
  return patient;
}
