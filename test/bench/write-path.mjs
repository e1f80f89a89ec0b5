// The write path under concurrency: GP Connect appointment bookings (every free slot of a week, one
// booking each) and EMIS partner FileRecord consultations (each with its own idempotency key), sent
// together by 50 concurrent clients. After the run every acknowledged write is checked: each booked
// slot is booked once and listed under the patient, and each filed consultation reports Filed with a
// distinct id; then every filing is sent again with its key, which must return the same id (no
// duplicate). Prints JSON for `npm run bench`.
import { randomUUID } from 'node:crypto';
import { freePort, startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
import { gpcHeaders, gpcTargets, interactions } from './gpconnect-requests.mjs';

const CONCURRENCY = 50;
const FILINGS = Number(process.env.WRITE_FILINGS ?? 2000);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port);
try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const standard = manifest.archetypes.find((archetype) => archetype.key === 'standard');
  const practice = manifest.practices.find((candidate) => candidate.ods === standard.ods);
  const root = practice.serviceRoots.gpconnect;
  const patientId = new URL((await gpcTargets(base, 'standard')).patientRead.url).pathname.split('/').pop();

  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const slotSearch = await fetch(`${root}/Slot?status=free&start=ge${day(1)}&end=le${day(7)}&_include=Slot:schedule`, {
    headers: gpcHeaders(manifest, practice, root, interactions.searchSlots, 'organization/*.read'),
  });
  if (!slotSearch.ok) throw new Error(`bench: slot search answered ${slotSearch.status}`);
  const slots = (await slotSearch.json()).entry
    .map((entry) => entry.resource)
    .filter((resource) => resource.resourceType === 'Slot');
  const bookingHeaders = gpcHeaders(manifest, practice, root, interactions.bookAppointment, 'patient/*.write');
  const booking = (slot) => ({
    url: `${root}/Appointment`,
    init: {
      method: 'POST',
      headers: bookingHeaders,
      body: JSON.stringify({
        resourceType: 'Appointment',
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1'] },
        contained: [
          {
            resourceType: 'Organization',
            id: '1',
            identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: manifest.consumers[0].ods }],
            name: 'Bench Hospital',
          },
        ],
        extension: [
          {
            url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1',
            valueReference: { reference: '#1' },
          },
        ],
        status: 'booked',
        start: slot.start,
        end: slot.end,
        slot: [{ reference: `Slot/${slot.id}` }],
        description: 'Bench booking',
        participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
      }),
    },
    slot: slot.id,
  });

  const emisOds = manifest.practices.find((candidate) => candidate.system === 'emis').ods;
  const emisPatient = manifest.archetypes.find(
    (archetype) => archetype.ods === emisOds && archetype.key === 'standard',
  );
  const partner = manifest.partners.find((candidate) => candidate.name === 'gpsim-demo');
  const emis = async (method, body) => {
    const response = await fetch(`${base}/emis/partner-api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const logon = await emis('InitializeWithID', {
    ClientId: partner.clientId,
    ClientSecret: partner.clientSecret,
    OrganisationId: emisOds,
  });
  const SessionId = logon.body.Result.SessionId;
  const filingBody = (key) =>
    JSON.stringify({
      SessionId,
      NhsNumber: emisPatient.nhsNumber,
      IdempotencyKey: key,
      Consultation: {
        Narrative: { Line: ['Bench consultation'] },
        Entries: {
          Entry: [{ Code: '38341003', Term: 'Hypertensive disorder', Type: 'Problem', Significance: 'Major' }],
        },
      },
    });
  const filing = (key) => ({
    url: `${base}/emis/partner-api/FileRecord`,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: filingBody(key) },
    key,
  });

  // Bookings and filings interleaved, so both kinds of write are in flight together.
  const work = [];
  const filings = Array.from({ length: FILINGS }, () => filing(randomUUID()));
  const bookings = slots.map(booking);
  for (let i = 0; i < Math.max(filings.length, bookings.length); i++) {
    if (bookings[i]) work.push({ kind: 'booking', ...bookings[i] });
    if (filings[i]) work.push({ kind: 'filing', ...filings[i] });
  }
  const outcomes = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < work.length) {
        const item = work[next++];
        const sent = performance.now();
        try {
          const response = await fetch(item.url, item.init);
          const body = await response.json();
          outcomes.push({ item, status: response.status, body, ms: performance.now() - sent });
        } catch (error) {
          // Not acknowledged (e.g. a reset on a loaded machine): counted, and not a write the checks expect.
          outcomes.push({
            item,
            status: 0,
            body: { error: error.cause?.code ?? error.message },
            ms: performance.now() - sent,
          });
        }
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;

  const booked = outcomes.filter((outcome) => outcome.item.kind === 'booking' && outcome.status === 201);
  const filed = outcomes.filter(
    (outcome) => outcome.item.kind === 'filing' && outcome.status === 200 && outcome.body.Outcome === 'Success',
  );
  const refused = outcomes.length - booked.length - filed.length;

  // Every acknowledged booking is listed under the patient, once.
  const listed = await fetch(`${root}/Patient/${patientId}/Appointment?start=ge${day(0)}&start=le${day(14)}`, {
    headers: gpcHeaders(manifest, practice, root, interactions.patientAppointments, 'patient/*.read'),
  });
  const appointments = ((await listed.json()).entry ?? [])
    .map((entry) => entry.resource)
    .filter((resource) => resource.resourceType === 'Appointment' && resource.description === 'Bench booking');
  const bookedSlots = appointments.flatMap((appointment) => appointment.slot.map((slot) => slot.reference));
  const bookingIds = new Set(booked.map((outcome) => outcome.body.id));
  const lostBookings = [...bookingIds].filter(
    (id) => !appointments.some((appointment) => appointment.id === id),
  ).length;
  const duplicateBookings = bookedSlots.length - new Set(bookedSlots).size;

  // Every acknowledged filing reports Filed, ids are distinct, and a resend with the same key is the same filing.
  const fileIds = filed.map((outcome) => outcome.body.Result.FileRecordId);
  let lostFilings = 0;
  let duplicateFilings = fileIds.length - new Set(fileIds).size;
  let index = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (index < filed.length) {
        const outcome = filed[index++];
        const id = outcome.body.Result.FileRecordId;
        const status = await emis('GetFileStatus', { SessionId, FileRecordId: id });
        if (status.body.Result?.FileStatus !== 'Filed') lostFilings++;
        const again = await fetch(outcome.item.url, outcome.item.init);
        if ((await again.json()).Result?.FileRecordId !== id) duplicateFilings++;
      }
    }),
  );

  const latencies = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  const at = (p) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] * 10) / 10;
  process.stdout.write(
    JSON.stringify({
      summary: {
        writesPerSecond: Math.round(outcomes.length / wallS),
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        bookings: booked.length,
        filings: filed.length,
        refused,
        unanswered: outcomes.filter((outcome) => outcome.status === 0).length,
        lostWrites: lostBookings + lostFilings,
        duplicateWrites: duplicateBookings + duplicateFilings,
      },
      note: 'Measured on a shared, loaded machine.',
      concurrency: CONCURRENCY,
      freeSlots: slots.length,
      listedBookings: appointments.length,
      refusedSamples: outcomes
        .filter((outcome) => !booked.includes(outcome) && !filed.includes(outcome))
        .slice(0, 3)
        .map((outcome) => ({
          kind: outcome.item.kind,
          status: outcome.status,
          body: JSON.stringify(outcome.body).slice(0, 300),
        })),
    }),
  );
} finally {
  server.kill('SIGTERM');
}
