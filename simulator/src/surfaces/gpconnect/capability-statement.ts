import type { Practice } from '../../domain/estate';
import type { Capability } from './interactions';

/** The software each simulated clinical system names; the two real suppliers differ here, never in behaviour. */
const software = {
  systmone: { name: 'SystmOne (gpsim)', version: '2024.1' },
  emis: { name: 'EMIS Web (gpsim)', version: '9.18.2' },
} as const;

const OPERATION = 'https://fhir.nhs.uk/STU3/OperationDefinition/';

function resources(capability: Capability) {
  switch (capability) {
    case 'foundations':
    case 'appointments':
      return [
        {
          type: 'Appointment',
          interaction: [{ code: 'read' }, { code: 'create' }, { code: 'update' }, { code: 'search-type' }],
        },
        {
          type: 'Slot',
          interaction: [{ code: 'search-type' }],
          searchInclude: ['Slot:schedule', 'Schedule:actor:Practitioner', 'Schedule:actor:Location'],
          searchParam: [
            { name: 'start', type: 'date' },
            { name: 'end', type: 'date' },
            { name: 'status', type: 'token' },
            { name: 'searchFilter', type: 'token' },
          ],
        },
        {
          type: 'Patient',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [{ name: 'identifier', type: 'token' }],
        },
        {
          type: 'Organization',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [{ name: 'identifier', type: 'token' }],
        },
        {
          type: 'Practitioner',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [{ name: 'identifier', type: 'token' }],
        },
        { type: 'Location', interaction: [{ code: 'read' }] },
      ];
    case 'structured':
      return [];
    case 'documents':
      return [
        {
          type: 'Patient',
          interaction: [{ code: 'search-type' }],
          searchParam: [{ name: 'identifier', type: 'token' }],
        },
        {
          type: 'DocumentReference',
          interaction: [{ code: 'search-type' }],
          searchInclude: [
            'DocumentReference:subject:Patient',
            'DocumentReference:custodian:Organization',
            'DocumentReference:author:Organization',
            'DocumentReference:author:Practitioner',
          ],
          searchParam: [
            { name: 'created', type: 'date' },
            { name: 'author', type: 'token' },
            { name: 'description', type: 'string' },
          ],
        },
        { type: 'Binary', interaction: [{ code: 'read' }] },
      ];
  }
}

function operations(capability: Capability) {
  switch (capability) {
    case 'foundations':
    case 'appointments':
      return [
        { name: 'gpc.registerpatient', definition: { reference: `${OPERATION}GPConnect-RegisterPatient-Operation-1` } },
      ];
    case 'structured':
      return [
        {
          name: 'gpc.getstructuredrecord',
          definition: { reference: `${OPERATION}GPConnect-GetStructuredRecord-Operation-1/_history/1.15` },
        },
        {
          name: 'gpc.migratestructuredrecord',
          definition: { reference: `${OPERATION}GPConnect-MigrateStructuredRecord-Operation-1/_history/1.15` },
        },
      ];
    case 'documents':
      return [];
  }
}

/**
 * One CapabilityStatement per capability (GPC _includes/foundations/get_capability_statement_response_example.json):
 * spec version, the supplier's software, fhirVersion 3.0.1, acceptUnknown both, the formats.
 */
export function gpcCapabilityStatement(practice: Practice, capability: Capability, date: string) {
  const system = software[practice.system];
  const ops = operations(capability);
  return {
    resourceType: 'CapabilityStatement',
    version: capability === 'foundations' ? '1.2.9' : '1.6.2',
    name: `GP Connect ${capability} (${practice.ods})`,
    status: 'active',
    date,
    publisher: system.name,
    kind: 'capability',
    software: { name: system.name, version: system.version, releaseDate: date },
    fhirVersion: '3.0.1',
    acceptUnknown: 'both',
    format: ['application/fhir+json', 'application/fhir+xml'],
    rest: [
      {
        mode: 'server',
        security: { cors: true },
        resource: resources(capability),
        ...(ops.length > 0 ? { operation: ops } : {}),
      },
    ],
  };
}
