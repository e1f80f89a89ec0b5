// @ts-check
// Find a patient over GP Connect and fetch their structured record (allergies and medication).
// Usage: node find-patient-and-record.mjs [gpsim base URL, default http://127.0.0.1:4100]
import { GpConnectClient, GpsimControl } from '@gpsim/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:4100';
const manifest = await new GpsimControl({ baseUrl }).fixtures();
const patient = manifest.archetypes.find((archetype) => archetype.key === 'standard');
const practice = manifest.practices.find((candidate) => candidate.ods === patient?.ods);
if (!patient || !practice) throw new Error('The estate has no standard archetype patient');

const gpConnect = new GpConnectClient({
  serviceRoots: practice.serviceRoots,
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
});

const found = await gpConnect.findPatient(patient.nhsNumber);
const record = await gpConnect.getStructuredRecord({
  nhsNumber: patient.nhsNumber,
  allergies: { includeResolved: false },
  medication: { includeIssues: true },
});
const counts = {};
for (const { resource } of record.entry ?? []) counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
console.log(JSON.stringify({ found: found.total, resources: counts }));
