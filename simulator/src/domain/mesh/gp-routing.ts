import { isValidNhsNumber } from '../nhs-number';
import type { Population } from '../../population/population';

/** MESH's asynchronous GP-lookup failures (GPCM integration_mesh.md; domain.md §1.10). */
export const routingErrors = {
  'EPL-150': 'Multiple mailboxes matches',
  'EPL-151': 'No mailbox matched',
  'EPL-152': 'Invalid NHS Number',
  'EPL-153': 'NHS Number not found',
  'EPL-154': 'NHS Number supplied does not match the demographics',
} as const;
export type RoutingErrorCode = keyof typeof routingErrors;

export type GpRouting = { ok: true; ods: string; nhsNumber: string } | { ok: false; code: RoutingErrorCode };

const ROUTING_PREFIX = 'GPPROVIDER_';

export function isGpRoutingAddress(to: string): boolean {
  return to.toUpperCase().startsWith(ROUTING_PREFIX);
}

/**
 * Resolves `GPPROVIDER_<NHSno>_<DOB DDMMYYYY>_<Surname>` to the patient's registered practice, as
 * MESH's automatic GP routing does: the NHS number must be valid and known, and the birth date and
 * surname must match the demographics. Deceased patients and patients no longer registered have no
 * practice mailbox to route to.
 */
export function resolveGpRouting(population: Population, to: string): GpRouting {
  const [, nhsNumber = '', dob = '', ...surnameParts] = to.split('_');
  const surname = surnameParts.join('_');
  if (!/^\d{10}$/.test(nhsNumber) || !isValidNhsNumber(nhsNumber)) return { ok: false, code: 'EPL-152' };
  const found = population.byNhsNumber(nhsNumber);
  if (!found) return { ok: false, code: 'EPL-153' };
  const { patient } = found;
  const [year, month, day] = patient.birthDate.split('-');
  const birthDate = `${day ?? ''}${month ?? ''}${year ?? ''}`;
  if (dob !== birthDate || surname.toUpperCase() !== patient.name.family.toUpperCase()) {
    return { ok: false, code: 'EPL-154' };
  }
  if (patient.deceasedDate !== undefined || patient.registration.status !== 'A') {
    return { ok: false, code: 'EPL-151' };
  }
  return { ok: true, ods: population.practiceOf(patient).ods, nhsNumber: patient.nhsNumber };
}
