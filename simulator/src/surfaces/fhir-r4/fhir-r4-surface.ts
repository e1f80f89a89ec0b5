import { SimError } from '../../domain/errors';
import type { Engine } from '../../engine';
import type { Route, RouteHandler, RoutedRequest, SimResponse, Surface } from '../../transport/types';
import type { ResourceCapability } from './capability-statement';
import { buildCapabilityStatement } from './capability-statement';
import { authoriseR4Request } from './access-token';
import { assertJsonAcceptable } from './content-negotiation';
import {
  organizationSearchParams,
  practitionerSearchParams,
  readOrganization,
  readPractitioner,
  searchOrganizations,
  searchPractitioners,
} from './directory-handlers';
import { FHIR_JSON, renderFhirR4Error } from './operation-outcome';
import { ORGANIZATION_PROFILE } from './organization-mapper';
import { readPatient, patientSearchParams, searchPatients } from './patient-handlers';
import { PATIENT_PROFILE } from './patient-mapper';
import { PRACTITIONER_PROFILE } from './practitioner-mapper';
import { readRecordEntry, recordResourceTypes, recordSearchParams, searchRecord } from './record-handlers';

const ROOT = '/fhir/R4';

/**
 * The UK Core R4 read API at /fhir/R4: the same population GP Connect shows, as UK Core
 * resources, for apps launched from the simulated clinical systems. Read-only and JSON-only.
 */
export function createFhirR4Surface(engine: Engine): Surface {
  const get = (path: string, handler: RouteHandler): Route => {
    const resourceType = path.split('/')[1] ?? '';
    return {
      method: 'GET',
      path: `${ROOT}${path}`,
      handler: async (request) => {
        assertJsonAcceptable(request);
        // The CapabilityStatement stays public, as FHIR and SMART discovery expect.
        if (resourceType !== 'metadata') {
          authoriseR4Request(engine, request, resourceType);
          // The dispatcher hands handlers the routed request, which the fault engine matches on.
          if (await engine.faults.tokenExpired(request as RoutedRequest)) {
            throw new SimError('unauthorised', 'The access token has expired: refresh it, or launch the app again.');
          }
        }
        return handler(request);
      },
    };
  };

  const capabilities: ResourceCapability[] = [
    { type: 'Patient', profile: PATIENT_PROFILE, searchParams: patientSearchParams },
    { type: 'Practitioner', profile: PRACTITIONER_PROFILE, searchParams: practitionerSearchParams },
    { type: 'Organization', profile: ORGANIZATION_PROFILE, searchParams: organizationSearchParams },
    ...recordResourceTypes.map((type) => ({
      type: type.type,
      profile: type.profile,
      searchParams: recordSearchParams,
    })),
  ];
  // Built once per public base URL (known only once the listeners are up), never per request.
  let capability: { base: string; body: string } | undefined;
  const metadata = (): SimResponse => {
    const base = `${engine.baseUrl}${ROOT}`;
    if (capability?.base !== base) {
      const body = buildCapabilityStatement({
        baseUrl: base,
        version: engine.version,
        date: engine.population.estate.spec.populationDate,
        resources: capabilities,
      });
      capability = { base, body: JSON.stringify(body) };
    }
    return { status: 200, headers: { 'Content-Type': FHIR_JSON, 'Cache-Control': 'no-store' }, body: capability.body };
  };

  const routes: Route[] = [
    get('/metadata', metadata),
    get('/Patient', (request) => searchPatients(engine, request)),
    get('/Patient/:id', (request) => readPatient(engine, request)),
    get('/Practitioner', (request) => searchPractitioners(engine, request)),
    get('/Practitioner/:id', (request) => readPractitioner(engine, request)),
    get('/Organization', (request) => searchOrganizations(engine, request)),
    get('/Organization/:id', (request) => readOrganization(engine, request)),
    ...recordResourceTypes.flatMap((type) => [
      get(`/${type.type}`, (request) => searchRecord(engine, request, type)),
      get(`/${type.type}/:id`, (request) => readRecordEntry(engine, request, type)),
    ]),
  ];

  return {
    name: 'fhir-r4',
    prefixes: [ROOT],
    routes,
    renderError: renderFhirR4Error,
    // Read-only: no request here needs a body.
    maxBodyBytes: 64 * 1024,
  };
}
