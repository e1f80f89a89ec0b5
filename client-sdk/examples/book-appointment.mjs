// @ts-check
// Search free slots over GP Connect, book the first one, then cancel it with its ETag.
// Usage: node book-appointment.mjs [gpsim base URL, default http://127.0.0.1:4100]
import { GpConnectClient, GpsimControl } from '@gpsim/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:4100';
const sim = new GpsimControl({ baseUrl });
const manifest = await sim.fixtures();
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

// Dates come from gpsim's clock, which tests may have moved.
const today = Date.parse((await sim.clock()).now);
const day = (offset) => new Date(today + offset * 86_400_000).toISOString().slice(0, 10);
const slots = await gpConnect.searchSlots({ start: day(1), end: day(7) });
const slot = slots.entry?.map((entry) => entry.resource).find((resource) => resource.resourceType === 'Slot');
const patientId = (await gpConnect.findPatient(patient.nhsNumber)).entry?.[0]?.resource.id;
if (!slot || !patientId) throw new Error('No free slot or no patient');

const booked = await gpConnect.bookAppointment({ slot, patientId, description: 'Medication review' });
const cancelled = await gpConnect.cancelAppointment(booked, 'Booked by the example');
console.log(
  JSON.stringify({ booked: booked.resource.status, etag: booked.etag, cancelled: cancelled.resource.status }),
);
