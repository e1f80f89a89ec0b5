import type { Engine } from '../../engine';
import type { HttpMethod, Route, SimRequest, SimResponse, Surface } from '../../transport/types';
import { gpcCapabilityStatement } from './capability-statement';
import {
  findOrganizations,
  findPatient,
  findPractitioners,
  readLocation,
  readOrganization,
  readPatient,
  readPractitioner,
} from './foundations-handlers';
import type { GpcContext } from './gpc-request';
import { admitGpcRequest } from './gpc-request';
import type { Capability, InteractionName } from './interactions';
import { gpcResponse, renderGpConnectError } from './operation-outcome';
import { registerPatient } from './register-patient-handler';
import {
  bookAppointment,
  patientAppointments,
  readAppointment,
  updateAppointment,
} from './appointments/appointment-handlers';
import { searchSlots } from './appointments/slot-search';
import { readBinary, searchDocuments } from './documents/document-handlers';
import { migrateStructuredRecord } from './structured/migrate-handler';
import { getStructuredRecord } from './structured/structured-handler';

type GpcHandler = (context: GpcContext) => SimResponse | Promise<SimResponse>;

const roots: Record<Capability, string> = {
  foundations: '/:ods/STU3/1/gpconnect',
  // Foundations and Appointment Management share one service root (GPC development_general_api_guidance.md).
  appointments: '/:ods/STU3/1/gpconnect',
  structured: '/:ods/STU3/1/gpconnect/structured',
  documents: '/:ods/STU3/1/gpconnect/documents',
};

/**
 * GP Connect as every simulated practice exposes it, under the service roots of GPC
 * integration_spine_directory_service.md: /{ODS}/STU3/1/gpconnect (Foundations), /structured and
 * /documents. Each route names the interaction ids it answers; the shared rules run first.
 */
export function createGpConnectSurface(engine: Engine): Surface {
  const route = (
    method: HttpMethod,
    capability: Capability,
    path: string,
    allowed: readonly InteractionName[],
    handler: GpcHandler,
  ): Route => ({
    method,
    path: `${roots[capability]}${path}`,
    handler: async (request: SimRequest) => handler(await admitGpcRequest(engine, request, capability, allowed)),
  });

  const metadata = (capability: Capability) => (context: GpcContext) =>
    gpcResponse(
      context.request,
      200,
      gpcCapabilityStatement(context.practice, capability, context.engine.population.estate.spec.populationDate),
    );

  const routes: Route[] = [
    route('GET', 'foundations', '/metadata', ['metadata'], metadata('foundations')),
    route('GET', 'foundations', '/Patient', ['searchPatient'], findPatient),
    route('GET', 'foundations', '/Patient/:id', ['readPatient'], readPatient),
    route('POST', 'foundations', '/Patient/$gpc.registerpatient', ['registerPatient'], registerPatient),
    route('GET', 'foundations', '/Practitioner', ['searchPractitioner'], findPractitioners),
    route('GET', 'foundations', '/Practitioner/:id', ['readPractitioner'], readPractitioner),
    route('GET', 'foundations', '/Organization', ['searchOrganization'], findOrganizations),
    route('GET', 'foundations', '/Organization/:id', ['readOrganization'], readOrganization),
    route('GET', 'foundations', '/Location/:id', ['readLocation'], readLocation),
    route('GET', 'appointments', '/Slot', ['searchSlots'], searchSlots),
    route('POST', 'appointments', '/Appointment', ['bookAppointment'], bookAppointment),
    route('GET', 'appointments', '/Appointment/:id', ['readAppointment'], readAppointment),
    route('PUT', 'appointments', '/Appointment/:id', ['amendAppointment', 'cancelAppointment'], updateAppointment),
    route('GET', 'appointments', '/Patient/:id/Appointment', ['patientAppointments'], patientAppointments),
    route('GET', 'structured', '/metadata', ['structuredMetadata'], metadata('structured')),
    route('POST', 'structured', '/Patient/$gpc.getstructuredrecord', ['getStructuredRecord'], getStructuredRecord),
    route(
      'POST',
      'structured',
      '/Patient/$gpc.migratestructuredrecord',
      ['migrateStructuredRecord'],
      migrateStructuredRecord,
    ),
    route('GET', 'documents', '/metadata', ['documentsMetadata'], metadata('documents')),
    route('GET', 'documents', '/Patient', ['documentsSearchPatient'], findPatient),
    route('GET', 'documents', '/Patient/:id/DocumentReference', ['searchDocuments'], searchDocuments),
    route('GET', 'documents', '/Binary/:id', ['readBinary'], readBinary),
  ];

  return {
    name: 'gpconnect',
    prefixes: [/^\/[A-Za-z0-9]{3,10}\/STU3\/1\/gpconnect(?=\/|$)/],
    routes,
    renderError: renderGpConnectError,
    maxBodyBytes: 256 * 1024,
  };
}
