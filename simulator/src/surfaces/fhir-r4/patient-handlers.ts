import { SimError } from '../../domain/errors';
import { NHS_NUMBER_SYSTEM, isValidNhsNumber } from '../../domain/nhs-number';
import type { Patient } from '../../domain/patient';
import type { Engine } from '../../engine';
import { demographicIndex, foldName } from '../../population/demographic-index';
import { dayNumber } from '../../population/dates';
import type { Population } from '../../population/population';
import type { SimRequest, SimResponse } from '../../transport/types';
import { maySeePatient } from './access-token';
import { auditAccess } from './audit-access';
import { pageOf, searchsetBundle } from './bundle';
import type { SearchParamDoc } from './capability-statement';
import { fhirJsonResponse } from './operation-outcome';
import { toUkCorePatient } from './patient-mapper';
import type { DayRange } from './search-params';
import { nonEmpty, parseBirthdate, parsePaging, parseToken, rejectModifiers } from './search-params';

export const patientSearchParams: readonly SearchParamDoc[] = [
  {
    name: 'identifier',
    type: 'token',
    documentation: `NHS number: ${NHS_NUMBER_SYSTEM}|{10 digits}, or the number alone. Only current numbers match; PDS resolves superseded ones.`,
  },
  {
    name: 'family',
    type: 'string',
    documentation: 'Whole family name, case- and accent-insensitive. Only together with birthdate.',
  },
  {
    name: 'birthdate',
    type: 'date',
    documentation:
      'YYYY-MM-DD (or YYYY-MM, YYYY for every day in it), optionally prefixed eq. Only together with family.',
  },
];

function notFound(id: string): SimError {
  return new SimError(
    'patient-not-found',
    `No patient with id "${id}" on this server. Find a patient's id with Patient?identifier=${NHS_NUMBER_SYSTEM}|{NHS number}.`,
  );
}

/** GET /Patient/{id}. A sensitive patient is answered exactly like one that does not exist. */
export async function readPatient(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const { population } = engine;
  const id = request.params['id'] ?? '';
  const patient = population.patientById(id);
  if (!patient) throw notFound(id);
  if (!maySeePatient(request, patient)) {
    await auditAccess(engine, request, 'read-patient', patient, 'refused');
    throw notFound(id);
  }
  const practice = population.practiceOf(patient);
  request.annotations.ods = practice.ods;
  await auditAccess(engine, request, 'read-patient', patient);
  return fhirJsonResponse(200, toUkCorePatient(population, patient, practice));
}

/** GET /Patient?identifier=… or ?family=…&birthdate=… (both criteria AND together when given). */
export async function searchPatients(engine: Engine, request: SimRequest): Promise<SimResponse> {
  const { population } = engine;
  const { query } = request;
  rejectModifiers(query, ['identifier', 'family', 'birthdate']);
  const identifier = nonEmpty(query, 'identifier');
  const family = nonEmpty(query, 'family');
  const birthdate = nonEmpty(query, 'birthdate');
  const paging = parsePaging(query);
  if (identifier === undefined && family === undefined && birthdate === undefined) {
    throw new SimError(
      'invalid-parameter',
      `Search Patient by identifier=${NHS_NUMBER_SYSTEM}|{NHS number}, or by family and birthdate together.`,
    );
  }
  if ((family === undefined) !== (birthdate === undefined)) {
    throw new SimError(
      'invalid-parameter',
      'family and birthdate must be given together (e.g. family=Smith&birthdate=1962-02-16): either alone matches too many patients.',
      { field: family === undefined ? 'family' : 'birthdate' },
    );
  }
  const name =
    family === undefined || birthdate === undefined
      ? undefined
      : { family: foldName(family), born: parseBirthdate(birthdate) };

  let matches: Patient[];
  if (identifier !== undefined) {
    const patient = patientByIdentifier(population, identifier);
    matches = patient && (!name || hasNameAndBirth(patient, name.family, name.born)) ? [patient] : [];
  } else {
    matches = name ? patientsByNameAndBirth(population, name.family, name.born) : [];
  }
  matches = matches.filter((patient) => maySeePatient(request, patient));

  const page = pageOf(matches, paging);
  for (const patient of page) await auditAccess(engine, request, 'search-patient', patient);
  const first = page[0];
  if (first) request.annotations.ods = population.practiceOf(first).ods;
  const params: [string, string][] = [];
  if (identifier !== undefined) params.push(['identifier', identifier]);
  if (family !== undefined) params.push(['family', family]);
  if (birthdate !== undefined) params.push(['birthdate', birthdate]);
  return fhirJsonResponse(
    200,
    searchsetBundle({
      base: `${engine.baseUrl}/fhir/R4`,
      resourceType: 'Patient',
      params,
      paging,
      total: matches.length,
      resources: page.map((patient) => toUkCorePatient(population, patient, population.practiceOf(patient))),
    }),
  );
}

/**
 * The patient an identifier names. The record carries only the current NHS number, so a
 * superseded number matches nothing here (PDS is where old numbers resolve).
 */
function patientByIdentifier(population: Population, value: string): Patient | undefined {
  const token = parseToken(value);
  if (token.system !== undefined && token.system !== NHS_NUMBER_SYSTEM) {
    throw new SimError(
      'invalid-identifier-system',
      `Patients are identified by NHS number here: use identifier=${NHS_NUMBER_SYSTEM}|{NHS number} (got system "${token.system}").`,
      { field: 'identifier' },
    );
  }
  if (!isValidNhsNumber(token.code)) {
    throw new SimError(
      'invalid-nhs-number',
      `"${token.code}" is not a valid NHS number: give 10 digits, the last a Modulus 11 check digit.`,
      { field: 'identifier' },
    );
  }
  const found = population.byNhsNumber(token.code);
  return found && !found.superseded ? found.patient : undefined;
}

function hasNameAndBirth(patient: Patient, family: string, born: DayRange): boolean {
  const day = dayNumber(patient.birthDate);
  return foldName(patient.name.family) === family && day >= born.from && day <= born.to;
}

/** Narrowed by date of birth through the demographic index, then by name: no estate scan. */
function patientsByNameAndBirth(population: Population, family: string, born: DayRange): Patient[] {
  const ordinals: number[] = [];
  demographicIndex(population).forEachBornBetween(born.from, born.to, (ordinal, candidateFamily) => {
    if (candidateFamily === family) ordinals.push(ordinal);
  });
  ordinals.sort((a, b) => a - b);
  const patients: Patient[] = [];
  for (const ordinal of ordinals) {
    const patient = population.patient(ordinal);
    if (patient) patients.push(patient);
  }
  return patients;
}
