import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { INTERACTION, gpcClient } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';

interface EmisReply {
  Outcome: 'Success' | 'Failure';
  Result?: Record<string, unknown>;
  Error?: { Code: string };
}

describe('concurrent writes across faces', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let practice: control.Manifest['practices'][number];
  let session: string;
  let patient: string;

  const emis = async (method: string, body: Record<string, unknown>) => {
    const response = await fetch(`${gpsim.url}/emis/partner-api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as EmisReply };
  };
  const day = (offset: number) => new Date(gpsim.engine.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    practice = manifest.practices.find((candidate) => candidate.system === 'emis') as typeof practice;
    const partner = manifest.partners.find((candidate) => candidate.name === 'gpsim-demo');
    session = (
      await emis('InitializeWithID', {
        ClientId: partner?.clientId,
        ClientSecret: partner?.clientSecret,
        OrganisationId: practice.ods,
      })
    ).body.Result?.['SessionId'] as string;
    patient = manifest.archetypes.find((a) => a.ods === practice.ods && a.key === 'standard')?.nhsNumber as string;
  });
  afterAll(() => gpsim.close());

  async function freeSlot(): Promise<{ SlotId: string; Start: string; End: string }> {
    const sessions = await emis('GetAppointmentSessions', { SessionId: session, DateFrom: day(1), DateTo: day(7) });
    const slots = (
      sessions.body.Result?.['Sessions'] as {
        Session: { Slots: { Slot: { SlotId: string; Start: string; End: string }[] } }[];
      }
    ).Session.flatMap((entry) => entry.Slots.Slot);
    return slots[Math.floor(slots.length / 2)] as { SlotId: string; Start: string; End: string };
  }

  it('lets exactly one of twelve clients booking one slot through EMIS and GP Connect win; the rest get 409', async () => {
    const slot = await freeSlot();
    const patientId = gpsim.engine.population.byNhsNumber(patient)?.patient.id ?? '';
    const gpc = gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
    const viaGpConnect = () =>
      gpc({
        method: 'POST',
        path: '/Appointment',
        interaction: INTERACTION.bookAppointment,
        scope: 'patient/*.write',
        body: {
          resourceType: 'Appointment',
          contained: [
            {
              resourceType: 'Organization',
              id: '1',
              identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'A1001' }],
              name: 'Test Hospital',
            },
          ],
          extension: [
            {
              url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1',
              valueReference: { reference: '#1' },
            },
          ],
          status: 'booked',
          start: slot.Start,
          end: slot.End,
          slot: [{ reference: `Slot/${slot.SlotId}` }],
          description: 'Concurrent booking',
          participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
        },
      }).then((reply) => reply.status);
    const viaEmis = () =>
      emis('BookAppointment', { SessionId: session, NhsNumber: patient, SlotId: slot.SlotId }).then(
        (reply) => reply.status,
      );
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? viaEmis() : viaGpConnect())));
    const wins = statuses.filter((status) => status === 200 || status === 201);
    expect(wins).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(11);
  });

  it('rejects concurrent task updates made against a stale version: one applies, the rest 409', async () => {
    const created = await emis('CreateTask', { SessionId: session, NhsNumber: patient, Title: 'Concurrency' });
    const id = created.body.Result?.['TaskId'] as string;
    const { version } = (await (await fetch(`${gpsim.url}/__sim/tasks/${id}`)).json()) as { version: number };
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${gpsim.url}/__sim/tasks/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'comment', comment: `note ${i}`, version }),
        }).then((response) => response.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(7);
  });

  it('files one record for concurrent retries carrying the same idempotency key', async () => {
    const key = randomUUID();
    const filing = {
      SessionId: session,
      NhsNumber: patient,
      IdempotencyKey: key,
      Consultation: { Narrative: { Line: ['Retried filing'] } },
    };
    const replies = await Promise.all(Array.from({ length: 6 }, () => emis('FileRecord', filing)));
    const ids = new Set(replies.map((reply) => reply.body.Result?.['FileRecordId']));
    expect(replies.every((reply) => reply.body.Outcome === 'Success')).toBe(true);
    expect(ids.size).toBe(1);
  });
});
