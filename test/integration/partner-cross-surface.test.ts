import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { GpcReply } from '../support/gpconnect';
import { INTERACTION, gpcClient, spineCode } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { backendToken, bearer } from '../support/tokens';
import {
  clientIntegrationRequest,
  errorCode,
  find,
  findAll,
  identity,
  postClientIntegration,
} from '../support/systmone';

/**
 * The partner APIs and GP Connect share one practice: one diary (slots and bookings) and one record
 * (reference/domain.md §1.8 appointments, §2 partner write-back visible to every consumer).
 */
type Partner = control.Manifest['partners'][number];
type Practice = control.Manifest['practices'][number];
interface JsonReply {
  Outcome: 'Success' | 'Failure';
  Result?: Record<string, unknown>;
  Error?: { Code: string; Description: string };
}
interface EmisSlot {
  SlotId: string;
  Start: string;
  End: string;
}
interface EmisSession {
  SessionName: string;
  Clinician: string;
  Slots: { Slot: EmisSlot[] };
}

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('partner APIs and GP Connect share the practice diary and record', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let demo: Partner;
  let systmOne: Practice;
  let emisPractice: Practice;

  const standard = (practice: Practice) =>
    manifest.archetypes.find((a) => a.key === 'standard' && a.ods === practice.ods)?.nhsNumber as string;
  const systmOneCall = (fn: string, parameters: string, requestUid = randomUUID()) =>
    postClientIntegration(
      gpsim.url,
      systmOne.ods,
      clientIntegrationRequest({ partner: demo, fn, parameters, requestUid }),
    );
  const emisCall = async (method: string, body: Record<string, unknown>) => {
    const response = await fetch(`${gpsim.url}/emis/partner-api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as JsonReply };
  };
  const emisSession = async () =>
    (
      await emisCall('InitializeWithID', {
        ClientId: demo.clientId,
        ClientSecret: demo.clientSecret,
        OrganisationId: emisPractice.ods,
      })
    ).body.Result?.['SessionId'] as string;
  const gpc = (practice: Practice) => gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
  const gpcFreeSlotIds = async (practice: Practice): Promise<string[]> => {
    const query = ['status=free', `start=ge${day(1)}`, `end=le${day(7)}`, '_include=Slot:schedule'].join('&');
    const reply = await gpc(practice)({
      path: `/Slot?${query}`,
      interaction: INTERACTION.searchSlots,
      scope: 'organization/*.read',
    });
    expect(reply.status).toBe(200);
    return ((reply.body['entry'] as { resource: { resourceType: string; id: string } }[] | undefined) ?? [])
      .filter((entry) => entry.resource.resourceType === 'Slot')
      .map((entry) => entry.resource.id);
  };
  const structuredRecord = (practice: Practice, nhsNumber: string): Promise<GpcReply> =>
    gpc(practice)({
      method: 'POST',
      root: 'structured',
      path: '/Patient/$gpc.getstructuredrecord',
      interaction: INTERACTION.getStructuredRecord,
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'patientNHSNumber', valueIdentifier: { system: NHS, value: nhsNumber } },
          { name: 'includeProblems' },
          { name: 'includeUncategorisedData' },
          { name: 'includeConsultations' },
        ],
      },
    });

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
    systmOne = manifest.practices.find((p) => p.system === 'systmone') as Practice;
    emisPractice = manifest.practices.find((p) => p.system === 'emis') as Practice;
  });
  afterAll(() => gpsim.close());

  describe('appointments', () => {
    it('SystmOne GetAppointmentSlots lists the free slots GP Connect /Slot offers', async () => {
      const { status, xml } = await systmOneCall(
        'GetAppointmentSlots',
        `<DateFrom>${day(1)}</DateFrom><DateTo>${day(7)}</DateTo>`,
      );
      expect(status).toBe(200);
      const slots = findAll(find(xml, 'Response', 'Slots'), 'Slot');
      expect(slots.length).toBeGreaterThan(0);
      expect(slots[0]?.attributes).toEqual(
        expect.objectContaining({
          SlotUID: expect.any(String),
          Start: expect.any(String),
          Clinician: expect.any(String),
        }),
      );
      const offered = new Set(await gpcFreeSlotIds(systmOne));
      // The partner sees the practice's own diary; GP Connect also shows slots reserved for its consumer.
      const within = slots.filter((slot) => (slot.attributes['Start'] ?? '') < `${day(7)}T23`);
      for (const slot of within) expect(offered.has(slot.attributes['SlotUID'] ?? '')).toBe(true);
    });

    it('SystmOne BookAppointment takes the slot: GP Connect no longer offers it and a second booking is SlotAlreadyBooked', async () => {
      const listed = await systmOneCall(
        'GetAppointmentSlots',
        `<DateFrom>${day(2)}</DateFrom><DateTo>${day(6)}</DateTo>`,
      );
      const slotId = findAll(listed.xml, 'Slot')[0]?.attributes['SlotUID'] as string;
      expect(await gpcFreeSlotIds(systmOne)).toContain(slotId);
      const booked = await systmOneCall(
        'BookAppointment',
        `${identity(standard(systmOne))}<SlotUID>${slotId}</SlotUID><Reason>Blood pressure review</Reason>`,
      );
      expect(booked.status).toBe(200);
      expect(find(booked.xml, 'Response', 'Appointment')?.attributes['SlotUID']).toBe(slotId);
      expect(await gpcFreeSlotIds(systmOne)).not.toContain(slotId);
      const again = await systmOneCall(
        'BookAppointment',
        `${identity(standard(systmOne))}<SlotUID>${slotId}</SlotUID>`,
      );
      expect(again.status).toBe(409);
      expect(errorCode(again.xml)).toBe('SlotAlreadyBooked');
      const relisted = await systmOneCall(
        'GetAppointmentSlots',
        `<DateFrom>${day(2)}</DateFrom><DateTo>${day(6)}</DateTo>`,
      );
      expect(findAll(relisted.xml, 'Slot').map((slot) => slot.attributes['SlotUID'])).not.toContain(slotId);
    });

    it('SystmOne BookAppointment retried with the same RequestUID answers the first booking, not SlotAlreadyBooked', async () => {
      const listed = await systmOneCall(
        'GetAppointmentSlots',
        `<DateFrom>${day(3)}</DateFrom><DateTo>${day(8)}</DateTo>`,
      );
      const slotId = findAll(listed.xml, 'Slot')[1]?.attributes['SlotUID'] as string;
      const requestUid = randomUUID();
      const parameters = `${identity(standard(systmOne))}<SlotUID>${slotId}</SlotUID>`;
      const first = await systmOneCall('BookAppointment', parameters, requestUid);
      const retry = await systmOneCall('BookAppointment', parameters, requestUid);
      expect(retry.status).toBe(200);
      expect(find(retry.xml, 'Response', 'Appointment')?.attributes['AppointmentUID']).toBe(
        find(first.xml, 'Response', 'Appointment')?.attributes['AppointmentUID'],
      );
    });

    it('SystmOne refuses a slot range over two weeks and an unknown slot, telling the partner what to send', async () => {
      const wide = await systmOneCall(
        'GetAppointmentSlots',
        `<DateFrom>${day(1)}</DateFrom><DateTo>${day(20)}</DateTo>`,
      );
      expect(wide.status).toBe(400);
      expect(errorCode(wide.xml)).toBe('InvalidParameter');
      const unknown = await systmOneCall(
        'BookAppointment',
        `${identity(standard(systmOne))}<SlotUID>${randomUUID()}</SlotUID>`,
      );
      expect(unknown.status).toBe(404);
      expect(errorCode(unknown.xml)).toBe('NotFound');
    });

    it('EMIS GetAppointmentSessions groups free slots by session; BookAppointment takes one on every face', async () => {
      const session = await emisSession();
      const sessions = await emisCall('GetAppointmentSessions', {
        SessionId: session,
        DateFrom: day(1),
        DateTo: day(7),
      });
      expect(sessions.status).toBe(200);
      const list = (sessions.body.Result?.['Sessions'] as { Session: EmisSession[] }).Session;
      expect(list.length).toBeGreaterThan(0);
      const slot = list[0]?.Slots.Slot[0] as EmisSlot;
      expect(list[0]?.Clinician).toBeTruthy();
      expect(await gpcFreeSlotIds(emisPractice)).toContain(slot.SlotId);
      const booked = await emisCall('BookAppointment', {
        SessionId: session,
        NhsNumber: standard(emisPractice),
        SlotId: slot.SlotId,
      });
      expect(booked.status).toBe(200);
      expect(booked.body.Result).toEqual(expect.objectContaining({ SlotId: slot.SlotId, Start: slot.Start }));
      expect(await gpcFreeSlotIds(emisPractice)).not.toContain(slot.SlotId);
      const again = await emisCall('BookAppointment', {
        SessionId: session,
        NhsNumber: standard(emisPractice),
        SlotId: slot.SlotId,
      });
      expect(again.status).toBe(409);
      expect(again.body.Error?.Code).toBe('SlotUnavailable');
    });

    const gpcBook = (practice: Practice, slotId: string, patientId: string) =>
      gpc(practice)({
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
          status: 'booked',
          slot: [{ reference: `Slot/${slotId}` }],
          participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
        },
      });

    it('a slot GP Connect booked is SlotUnavailable to EMIS BookAppointment, and one EMIS booked is DUPLICATE_REJECTED on GP Connect', async () => {
      const nhsNumber = standard(emisPractice);
      const patientId = gpsim.engine.population.byNhsNumber(nhsNumber)?.patient.id ?? '';
      const [viaGpc, viaEmis] = (await gpcFreeSlotIds(emisPractice)).slice(3, 5) as [string, string];
      expect((await gpcBook(emisPractice, viaGpc, patientId)).status).toBe(201);
      const session = await emisSession();
      const refused = await emisCall('BookAppointment', { SessionId: session, NhsNumber: nhsNumber, SlotId: viaGpc });
      expect(refused.status).toBe(409);
      expect(refused.body.Error?.Code).toBe('SlotUnavailable');
      const booked = await emisCall('BookAppointment', { SessionId: session, NhsNumber: nhsNumber, SlotId: viaEmis });
      expect(booked.status).toBe(200);
      const duplicate = await gpcBook(emisPractice, viaEmis, patientId);
      expect(duplicate.status).toBe(409);
      expect(spineCode(duplicate)).toBe('DUPLICATE_REJECTED');
    });
  });

  describe('record write-back round trips', () => {
    it('UpdatePatientRecord on a SystmOne practice shows in GP Connect $gpc.getstructuredrecord', async () => {
      const nhsNumber = standard(systmOne);
      const written = await systmOneCall(
        'UpdatePatientRecord',
        `${identity(nhsNumber)}<Event DateTime="${day(-1)}T10:00:00"><Narrative><Line>Seen by partner app</Line></Narrative>` +
          '<ClinicalCode><Code Scheme="SNOMED" Code="38341003" Term="Hypertensive disorder"/><ProblemSeverity>Major</ProblemSeverity></ClinicalCode>' +
          '</Event>',
      );
      expect(written.status).toBe(200);
      const entryId = find(written.xml, 'Response', 'EntryUID')?.text as string;
      const record = await structuredRecord(systmOne, nhsNumber);
      expect(record.status).toBe(200);
      const text = JSON.stringify(record.body);
      expect(text).toContain(entryId);
      expect(text).toContain('38341003');
    });

    it('FileRecord on an EMIS practice shows in GP Connect $gpc.getstructuredrecord', async () => {
      const nhsNumber = standard(emisPractice);
      const session = await emisSession();
      const filed = await emisCall('FileRecord', {
        SessionId: session,
        NhsNumber: nhsNumber,
        Consultation: {
          Date: `${day(-1)}T11:00:00`,
          Narrative: { Line: ['Filed by partner app'] },
          Entries: {
            Entry: [{ Code: '271649006', Term: 'Systolic blood pressure', Type: 'Value', Value: 128, Unit: 'mm[Hg]' }],
          },
        },
      });
      expect(filed.status).toBe(200);
      const status = await emisCall('GetFileStatus', {
        SessionId: session,
        FileRecordId: filed.body.Result?.['FileRecordId'],
      });
      const entryId = (status.body.Result?.['EntryIds'] as { Id: string[] }).Id[0] as string;
      const record = await structuredRecord(emisPractice, nhsNumber);
      expect(record.status).toBe(200);
      const text = JSON.stringify(record.body);
      expect(text).toContain(entryId);
      expect(text).toContain('271649006');
    });
  });

  describe('EMIS documents', () => {
    const letter = Buffer.from('Discharge summary: seen in clinic, no follow-up needed.');
    const addDocument = async (session: string, nhsNumber: string, idempotencyKey = randomUUID()) =>
      emisCall('AddDocument', {
        SessionId: session,
        NhsNumber: nhsNumber,
        IdempotencyKey: idempotencyKey,
        Document: {
          Title: 'Clinic letter from partner',
          Code: '371531000',
          Term: 'Report of clinical encounter',
          ContentType: 'text/plain',
          Content: letter.toString('base64'),
        },
      });

    it('AddDocument files a document GetDocuments lists, and GP Connect Access Document and R4 DocumentReference show', async () => {
      const nhsNumber = standard(emisPractice);
      const patientId = gpsim.engine.population.byNhsNumber(nhsNumber)?.patient.id ?? '';
      const session = await emisSession();
      const added = await addDocument(session, nhsNumber);
      expect(added.status).toBe(200);
      const documentId = added.body.Result?.['DocumentId'] as string;
      expect(added.body.Result?.['SizeBytes']).toBe(String(letter.length));

      const listed = await emisCall('GetDocuments', { SessionId: session, NhsNumber: nhsNumber });
      expect(listed.status).toBe(200);
      const documents = (listed.body.Result?.['Documents'] as { Document: Record<string, string>[] }).Document;
      expect(documents[0]).toEqual(
        expect.objectContaining({
          DocumentId: documentId,
          Title: 'Clinic letter from partner',
          ContentType: 'text/plain',
        }),
      );
      expect(documents.length).toBeGreaterThan(1);

      const gpcDocuments = await gpc(emisPractice)({
        root: 'documents',
        path: `/Patient/${patientId}/DocumentReference?${[
          '_include=DocumentReference:subject:Patient',
          '_include=DocumentReference:custodian:Organization',
          '_include=DocumentReference:author:Organization',
          '_include=DocumentReference:author:Practitioner',
          '_revinclude:recurse=PractitionerRole:practitioner',
        ].join('&')}`,
        interaction: INTERACTION.searchDocuments,
      });
      expect(gpcDocuments.status).toBe(200);
      expect(JSON.stringify(gpcDocuments.body)).toContain(documentId);
      const binary = await gpc(emisPractice)({
        root: 'documents',
        path: `/Binary/${documentId}`,
        interaction: INTERACTION.readBinary,
      });
      expect(binary.status).toBe(200);
      expect(binary.body['content']).toBe(letter.toString('base64'));

      const token = await backendToken(gpsim.url);
      const r4 = await fetch(`${gpsim.url}/fhir/R4/DocumentReference/${documentId}`, { headers: bearer(token) });
      expect(r4.status).toBe(200);
      expect(((await r4.json()) as { id: string }).id).toBe(documentId);
    });

    it('AddDocument with a repeated IdempotencyKey files once', async () => {
      const nhsNumber = standard(emisPractice);
      const session = await emisSession();
      const key = randomUUID();
      const first = await addDocument(session, nhsNumber, key);
      const second = await addDocument(session, nhsNumber, key);
      expect(second.body.Result?.['DocumentId']).toBe(first.body.Result?.['DocumentId']);
      const listed = await emisCall('GetDocuments', { SessionId: session, NhsNumber: nhsNumber });
      const ids = (listed.body.Result?.['Documents'] as { Document: { DocumentId: string }[] }).Document.map(
        (document) => document.DocumentId,
      );
      expect(ids.filter((id) => id === first.body.Result?.['DocumentId'])).toHaveLength(1);
    });

    it('AddDocument refuses content that is not base64 with InvalidRequest', async () => {
      const session = await emisSession();
      const reply = await emisCall('AddDocument', {
        SessionId: session,
        NhsNumber: standard(emisPractice),
        Document: { Title: 'Bad', Code: '371531000', Term: 'Report', ContentType: 'text/plain', Content: '%%%' },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.Outcome).toBe('Failure');
    });
  });
});
