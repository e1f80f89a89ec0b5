import { SimError } from '../../domain/errors';
import { isValidNhsNumber } from '../../domain/nhs-number';
import type { Patient } from '../../domain/patient';
import { isActiveRegistration, isOnPds, isReturnedToLocationSearch } from '../../domain/patient-access';
import type { Engine } from '../../engine';
import { demographicIndex } from '../../population/demographic-index';
import type { SimRequest, SimResponse } from '../../transport/types';
import { auditAccess } from './audit-access';
import { tooManyMatches } from './pds-errors';
import { PDS_VERSION_ID, toPdsPatient } from './pds-patient-mapper';
import { pdsJsonResponse } from './pds-response';
import { matchScore, mayMatch } from './patient-matcher';
import { checkRequestId } from './request-id';
import { parsePdsSearch } from './search-query';

export const PDS_ROOT = '/spine/pds/FHIR/R4';

/**
 * GET /Patient/{NHS number} (patient-get.yaml). An invalid number is 400 INVALID_RESOURCE_ID, an
 * unknown one (or a patient never traced onto PDS) 404 RESOURCE_NOT_FOUND. A superseded number
 * returns the current record, whose id is then not the number asked for (lines 7-12).
 */
export async function readPdsPatient(engine: Engine, request: SimRequest): Promise<SimResponse> {
  checkRequestId(request);
  // With the Spine down PDS answers 503 SERVICE_UNAVAILABLE and Retry-After (domain.md §5.2).
  engine.spine.assertAvailable('A PDS retrieval');
  const { population } = engine;
  const nhsNumber = request.params['id'] ?? '';
  if (!isValidNhsNumber(nhsNumber)) {
    throw new SimError(
      'invalid-nhs-number',
      `Invalid resource ID - '${nhsNumber}' is not an NHS number: 10 digits, the last a Modulus 11 check digit.`,
    );
  }
  const found = population.byNhsNumber(nhsNumber);
  if (!found || !isOnPds(found.patient)) {
    throw new SimError(
      'patient-not-found',
      `No patient on PDS has NHS number ${nhsNumber}. Check the number, or trace the patient with a search.`,
    );
  }
  const { patient } = found;
  const practice = population.practiceOf(patient);
  request.annotations.ods = practice.ods;
  await auditAccess(engine, request, 'read-patient', patient);
  const registeredOds = await engine.pdsRegistrations.registeredOds(patient.nhsNumber, practice.ods);
  return pdsJsonResponse(request, 200, toPdsPatient(patient, registeredOds, 'retrieval'), {
    ETag: `W/"${PDS_VERSION_ID}"`,
  });
}

interface Match {
  patient: Patient;
  score: number;
}

/**
 * GET /Patient?… (patient-search.yaml): candidates by date of birth from the demographic index,
 * matched and scored, best first. More matches than _max-results is TOO_MANY_MATCHES.
 */
export async function searchPdsPatients(engine: Engine, request: SimRequest): Promise<SimResponse> {
  checkRequestId(request);
  engine.spine.assertAvailable('A PDS search');
  const query = parsePdsSearch(request.query);
  const { population } = engine;
  // Restricted patients never answer a search naming a location (patient-search.yaml line 53).
  const namesLocation = query.postcode !== undefined || query.generalPractitioner !== undefined;
  const matches: Match[] = [];
  let tooMany = false;
  demographicIndex(population).forEachBornBetween(
    query.birthdate.from,
    query.birthdate.to,
    (ordinal, family, given, sex) => {
      if (!mayMatch(query, family, given, sex)) return true;
      const patient = population.patient(ordinal);
      if (!patient || !isOnPds(patient)) return true;
      if (namesLocation && !isReturnedToLocationSearch(patient)) return true;
      const registeredOds = isActiveRegistration(patient) ? population.practiceOf(patient).ods : undefined;
      const score = matchScore(query, patient, registeredOds);
      if (score === undefined || (query.exactMatch && score < 1)) return true;
      matches.push({ patient, score });
      tooMany = matches.length > query.maxResults;
      return !tooMany;
    },
  );
  if (tooMany) return pdsJsonResponse(request, 200, tooManyMatches(query.maxResults));

  matches.sort((a, b) => b.score - a.score || a.patient.ordinal - b.patient.ordinal);
  for (const { patient } of matches) await auditAccess(engine, request, 'search-patient', patient);
  const first = matches[0];
  if (first) request.annotations.ods = population.practiceOf(first.patient).ods;
  const base = `${engine.baseUrl}${PDS_ROOT}`;
  const registered = await Promise.all(
    matches.map(({ patient }) =>
      engine.pdsRegistrations.registeredOds(patient.nhsNumber, population.practiceOf(patient).ods),
    ),
  );
  return pdsJsonResponse(request, 200, {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: engine.clock
      .nowDate()
      .toISOString()
      .replace(/\.\d{3}Z$/, '+00:00'),
    total: matches.length,
    ...(matches.length > 0
      ? {
          entry: matches.map(({ patient, score }, index) => ({
            fullUrl: `${base}/Patient/${patient.nhsNumber}`,
            search: { score },
            resource: toPdsPatient(patient, registered[index] as string, 'search'),
          })),
        }
      : {}),
  });
}
