import type { Engine } from '../../engine';
import type { Surface } from '../../transport/types';
import { renderPdsError } from './pds-errors';
import { PDS_ROOT, readPdsPatient, searchPdsPatients } from './patient-handlers';

/**
 * A PDS FHIR-like demographics service at /spine/pds/FHIR/R4 over the same population: retrieval
 * by NHS number and search by demographics, with PDS's headers, rules and error codes.
 */
export function createPdsSurface(engine: Engine): Surface {
  return {
    name: 'pds',
    prefixes: [PDS_ROOT],
    routes: [
      { method: 'GET', path: `${PDS_ROOT}/Patient`, handler: (request) => searchPdsPatients(engine, request) },
      { method: 'GET', path: `${PDS_ROOT}/Patient/:id`, handler: (request) => readPdsPatient(engine, request) },
    ],
    renderError: renderPdsError,
    // Read-only: no request here needs a body.
    maxBodyBytes: 64 * 1024,
  };
}
