import { SimError } from '../../domain/errors';
import { NHS_NUMBER_SYSTEM, isValidNhsNumber } from '../../domain/nhs-number';
import type { RegistrationDemographics } from '../../domain/register-patient';
import { tracePatientForRegistration } from '../../domain/register-patient';
import type { SimResponse } from '../../transport/types';
import { auditGpcAccess } from './audit-access';
import { searchsetBundle } from './bundle';
import type { GpcContext } from './gpc-request';
import { gpcResponse } from './operation-outcome';
import { toGpcPatient } from './patient-mapper';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const invalid = (message: string) => new SimError('invalid-resource', message, { field: 'registerPatient' });

/** Elements a registration MUST NOT populate (GPC foundations_use_case_register_a_patient.md). */
const forbidden = [
  'deceasedBoolean',
  'deceasedDateTime',
  'maritalStatus',
  'multipleBirthBoolean',
  'multipleBirthInteger',
  'photo',
  'animal',
  'link',
  'contact',
  'generalPractitioner',
  'managingOrganization',
];

/** Reads the registerPatient Parameters: NHS number, one official name (family, given) and birthDate. */
function readDemographics(body: Buffer): RegistrationDemographics {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('The request body is not JSON: send a Parameters resource with a registerPatient parameter.');
  }
  const list = isObject(parsed) && parsed['resourceType'] === 'Parameters' ? parsed['parameter'] : undefined;
  if (!Array.isArray(list) || list.length !== 1) {
    throw invalid('Send a Parameters resource with exactly one parameter, registerPatient.');
  }
  const parameter = list[0] as unknown;
  const patient = isObject(parameter) && parameter['name'] === 'registerPatient' ? parameter['resource'] : undefined;
  if (!isObject(patient) || patient['resourceType'] !== 'Patient') {
    throw invalid('The registerPatient parameter must carry a Patient resource.');
  }
  const present = forbidden.find((element) => patient[element] !== undefined);
  if (present) throw invalid(`A registration must not populate Patient.${present}.`);
  const identifiers = Array.isArray(patient['identifier']) ? (patient['identifier'] as unknown[]) : [];
  const nhs = identifiers.find((identifier) => isObject(identifier) && identifier['system'] === NHS_NUMBER_SYSTEM);
  const nhsNumber = isObject(nhs) ? nhs['value'] : undefined;
  if (typeof nhsNumber !== 'string') throw invalid(`The Patient needs an identifier with system ${NHS_NUMBER_SYSTEM}.`);
  if (!isValidNhsNumber(nhsNumber)) {
    throw new SimError('invalid-nhs-number', `"${nhsNumber}" is not a valid NHS number (10 digits, Mod 11).`);
  }
  const names = Array.isArray(patient['name']) ? (patient['name'] as unknown[]) : [];
  const official = names.filter((name) => isObject(name) && name['use'] === 'official');
  const name = official[0];
  const given = isObject(name) && Array.isArray(name['given']) ? (name['given'] as unknown[])[0] : undefined;
  if (official.length !== 1 || !isObject(name) || typeof name['family'] !== 'string' || typeof given !== 'string') {
    throw invalid('The Patient needs exactly one official name with family and given.');
  }
  const birthDate = patient['birthDate'];
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    throw invalid('The Patient needs a birthDate (YYYY-MM-DD).');
  }
  return { nhsNumber, family: name['family'], given, birthDate };
}

/**
 * POST /Patient/$gpc.registerpatient: a temporary registration at the practice addressed, answered
 * 200 with a searchset holding the Patient (registration type T), never 201.
 */
export async function registerPatient(context: GpcContext): Promise<SimResponse> {
  const { engine, practice, request } = context;
  const sent = readDemographics(request.body);
  const { population } = engine;
  const patient = tracePatientForRegistration(engine.spine, population.byNhsNumber(sent.nhsNumber), practice, sent);
  const registeredAt = engine.clock.today();
  const created = await engine.store.registrations.create({
    ods: practice.ods,
    nhsNumber: patient.nhsNumber,
    patientOrdinal: patient.ordinal,
    registeredAt,
  });
  if (!created) {
    throw new SimError('duplicate', `The patient is already temporarily registered at ${practice.ods}.`);
  }
  await auditGpcAccess(context, patient);
  const resource = toGpcPatient(population, patient, practice, {
    versionId: '1',
    registrationType: 'T',
    registrationStart: registeredAt,
  });
  return gpcResponse(request, 200, searchsetBundle(context, [resource]));
}
