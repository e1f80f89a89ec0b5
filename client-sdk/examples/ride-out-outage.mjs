// @ts-check
// Handle an outage: gpsim's primary node s11 goes down; the client fails over to s12 and back.
// Usage: node ride-out-outage.mjs [gpsim base URL, default http://127.0.0.1:4100]
import { GpConnectClient, GpsimControl } from '@gpsim/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:4100';
const sim = new GpsimControl({ baseUrl });
const manifest = await sim.fixtures();
const backup = manifest.nodes.find((node) => node.name === 's12');
const patient = manifest.archetypes.find((archetype) => archetype.key === 'standard');
const practice = manifest.practices.find((candidate) => candidate.ods === patient?.ods);
if (!backup || !patient || !practice) throw new Error('Start gpsim with its backup node (s12) listening');

const endpoints = [];
const gpConnect = new GpConnectClient({
  serviceRoots: practice.serviceRoots,
  failoverOrigins: [backup.url],
  providerAsid: practice.asid,
  consumerAsid: manifest.consumers[0]?.asid ?? '',
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
    model: 'gpsim example',
    version: '1.0.0',
  },
  retry: { baseDelayMs: 10, maxDelayMs: 50 },
  circuitBreaker: { failureThreshold: 1, resetAfterMs: 200 },
  hooks: { onResponse: (event) => endpoints.push(`${event.endpoint} ${event.status}`) },
});

const { id } = await sim.addFault({
  match: { node: 's11', surface: 'gpconnect' },
  fault: { kind: 'status', status: 503 },
});
const during = await gpConnect.findPatient(patient.nhsNumber);
await sim.removeFault(id);
await new Promise((resolve) => setTimeout(resolve, 250));
const after = await gpConnect.findPatient(patient.nhsNumber);
console.log(JSON.stringify({ during: during.total, after: after.total, endpoints }));
