// @ts-check
// A consumer's Pact tests for its use of GpConnectClient, written with @pact-foundation/pact
// (npm install --save-dev @pact-foundation/pact@16.0.0). Each interaction runs the SDK against
// Pact's mock server and is recorded into a pact file, which gpsim then verifies as the provider:
//   node pact-consumer.mjs ./pacts && npx gpsim pact-verify --pact ./pacts --target http://127.0.0.1:4100
// Usage: node pact-consumer.mjs [directory for the pact file, default ./pacts]
//
// The test data is the default estate's (seed "gpsim"), as `gpsim fixtures` prints it. Each
// interaction names a provider state from gpsim's vocabulary, so the verification fails clearly,
// rather than oddly, if the estate does not hold what the consumer assumed.
import { MatchersV3, PactV3 } from '@pact-foundation/pact';
import { GpConnectClient, GpsimApiError } from '@gpsim/client';

const ODS = 'X84865';
const PROVIDER_ASID = '200000001010';
const CONSUMER_ASID = '200000000359';
const NHS_NUMBER = '9995290103';
const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const ROOT = `/${ODS}/STU3/1/gpconnect`;
const INTERACTION = {
  metadata: 'urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1',
  searchPatient: 'urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1',
};
const { eachLike, like, regex } = MatchersV3;
/** GPC 1.6 development_general_api_guidance: FHIR JSON, UTF-8 (a plain value: Pact reads the body type from it). */
const FHIR_JSON = { 'Content-Type': 'application/fhir+json;charset=utf-8' };

const pact = new PactV3({
  consumer: 'gpsim-example-consumer',
  provider: 'gpsim',
  dir: process.argv[2] ?? 'pacts',
  logLevel: 'error',
});

/** The headers every GP Connect request carries (GPC 1.6 integration_spine_secure_proxy, audit JWT). */
const gpConnectHeaders = (interaction) => ({
  Accept: 'application/fhir+json',
  'Ssp-From': CONSUMER_ASID,
  'Ssp-To': PROVIDER_ASID,
  'Ssp-InteractionID': interaction,
  'Ssp-TraceID': regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, crypto.randomUUID()),
  Authorization: regex(/^Bearer [\w-]+\.[\w-]+\.[\w-]*$/, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'),
});

/** The consumer's client, pointed at Pact's mock server; one attempt so a 503 is seen, not retried. */
const client = (mockServerUrl) =>
  new GpConnectClient({
    serviceRoots: {
      gpconnect: `${mockServerUrl}${ROOT}`,
      structured: `${mockServerUrl}${ROOT}/structured`,
      documents: `${mockServerUrl}${ROOT}/documents`,
    },
    providerAsid: PROVIDER_ASID,
    consumerAsid: CONSUMER_ASID,
    issuer: 'https://consumer.example.invalid/',
    requestingPractitioner: {
      id: '1',
      sdsUserId: '111222333444',
      sdsRoleProfileId: '444555666777',
      family: 'Jones',
      given: ['Claire'],
    },
    requestingOrganization: { odsCode: 'A1001', name: 'Example Hospital' },
    requestingDevice: {
      identifier: { system: 'https://consumer.example.invalid/device', value: 'example-1' },
      model: 'gpsim pact example',
      version: '1.0.0',
    },
    retry: { maxAttempts: 1 },
  });

const results = {};

pact
  .given('gpsim is running')
  .uponReceiving('a request for the practice CapabilityStatement')
  .withRequest({ method: 'GET', path: `${ROOT}/metadata`, headers: gpConnectHeaders(INTERACTION.metadata) })
  .willRespondWith({
    status: 200,
    headers: FHIR_JSON,
    body: { resourceType: 'CapabilityStatement', fhirVersion: '3.0.1', kind: like('instance') },
  });
await pact.executeTest(async (server) => {
  results.fhirVersion = (await client(server.url).metadata()).fhirVersion;
});

pact
  .given(`patient ${NHS_NUMBER} is standard`)
  .uponReceiving('a search for a patient by NHS number')
  .withRequest({
    method: 'GET',
    path: `${ROOT}/Patient`,
    query: { identifier: `${NHS_NUMBER_SYSTEM}|${NHS_NUMBER}` },
    headers: gpConnectHeaders(INTERACTION.searchPatient),
  })
  .willRespondWith({
    status: 200,
    headers: FHIR_JSON,
    body: {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: eachLike({
        resource: {
          resourceType: 'Patient',
          id: like('1'),
          identifier: eachLike({ system: NHS_NUMBER_SYSTEM, value: NHS_NUMBER }),
        },
      }),
    },
  });
await pact.executeTest(async (server) => {
  const bundle = await client(server.url).findPatient(NHS_NUMBER);
  results.found = bundle.entry?.length ?? 0;
});

pact
  .given(`practice ${ODS} is in maintenance`)
  .uponReceiving('a request while the practice system is down for maintenance')
  .withRequest({ method: 'GET', path: `${ROOT}/metadata`, headers: gpConnectHeaders(INTERACTION.metadata) })
  .willRespondWith({ status: 503 });
await pact.executeTest(async (server) => {
  try {
    await client(server.url).metadata();
    results.maintenance = 'answered';
  } catch (error) {
    if (!(error instanceof GpsimApiError)) throw error;
    results.maintenance = error.status;
  }
});

console.log(JSON.stringify(results));
