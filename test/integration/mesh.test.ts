import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { control } from '@gpsim/contracts';
import type { Task } from '@gpsim/simulator/domain/tasks';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { MeshTestClient } from '../support/mesh-client';
import { backendToken, bearer } from '../support/tokens';

/**
 * The MESH API against its specification (NHSDigital/mesh-api-specification mesh-api.yaml, the
 * mesh-sandbox's behaviour) and the practice-workflow path of GP Connect Send Document
 * (GPCM integration_mesh.md, integration_itk3.md; domain.md §1.10, §2.4, §2.5, §5.3).
 */
const TEST_WORKFLOW = 'GPSIM_TEST';
const SEND_DOCUMENT = 'GPFED_CONSULT_REPORT';
const ACK_WORKFLOW = 'GPFED_CONSULT_REPORT_ACK';

interface V2Error {
  detail: { event: string; code: string; msg: string }[];
}
interface V1Error {
  errorEvent: string;
  errorCode: string;
  errorDescription: string;
}

describe('MESH API /mesh/messageexchange', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let demo: MeshTestClient;
  let pharmacy: MeshTestClient;

  const client = (mailbox: control.Manifest['mailboxes'][number]): MeshTestClient =>
    new MeshTestClient(manifest.mesh.baseUrl, mailbox, manifest.mesh.sharedSecret, () => gpsim.engine.clock.nowDate());

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    const partner = (name: string) => {
      const mailbox = manifest.mailboxes.find((candidate) => candidate.partner === name);
      if (!mailbox) throw new Error(`no mailbox for ${name}`);
      return client(mailbox);
    };
    demo = partner('gpsim-demo');
    pharmacy = partner('gpsim-pharmacy');
  });
  afterAll(() => gpsim.close());

  async function drain(mesh: MeshTestClient): Promise<void> {
    for (const id of await mesh.inbox()) await mesh.acknowledge(id);
  }

  async function sendId(response: { status: number; json: { message_id?: string } }): Promise<string> {
    expect(response.status).toBe(202);
    expect(response.json.message_id).toMatch(/^\d{17}_[0-9A-F]{6}$/);
    return response.json.message_id as string;
  }

  describe('mailboxes in the manifest', () => {
    it('lists one mailbox per practice and partner mailboxes including gpsim-demo, with the shared secret', () => {
      for (const practice of manifest.practices) {
        const mailbox = manifest.mailboxes.find((candidate) => candidate.ods === practice.ods);
        expect(mailbox?.workflows.receive).toContain(SEND_DOCUMENT);
        expect(mailbox?.workflows.send).toContain(ACK_WORKFLOW);
      }
      expect(demo.mailbox.id).toMatch(/^[A-Z0-9]+$/);
      expect(manifest.mesh.sharedSecret.length).toBeGreaterThan(10);
      expect(manifest.mesh.baseUrl).toBe(`${gpsim.url}/mesh`);
    });
  });

  describe('endpoint lookup', () => {
    it('finds the practice mailbox that receives a workflow, in the v1 and v2 shapes', async () => {
      const practice = manifest.practices[0] as control.Manifest['practices'][number];
      const mailbox = manifest.mailboxes.find((candidate) => candidate.ods === practice.ods);
      const lookup = (workflow: string, accept: string) =>
        fetch(`${manifest.mesh.baseUrl}/messageexchange/endpointlookup/${practice.ods}/${workflow}`, {
          headers: { accept },
        }).then(async (response) => ({ status: response.status, json: (await response.json()) as unknown }));
      expect(await lookup(SEND_DOCUMENT, 'application/vnd.mesh.v2+json')).toEqual({
        status: 200,
        json: { results: [{ mailbox_id: mailbox?.id, mailbox_name: practice.name }] },
      });
      const v1 = await lookup(SEND_DOCUMENT, 'application/json');
      expect(v1.json).toMatchObject({ results: [{ endpoint_type: 'MESH', address: mailbox?.id }] });
      expect((await lookup(TEST_WORKFLOW, 'application/vnd.mesh.v2+json')).json).toEqual({ results: [] });
    });
  });

  describe('handshake and NHSMESH authorisation', () => {
    it('answers the v1 handshake with the mailbox id and the v2 handshake with an empty 200', async () => {
      const v1 = await demo.handshake();
      expect(v1.status).toBe(200);
      expect(v1.json).toEqual({ mailboxId: demo.mailbox.id });
      const v2 = await demo.handshake(true);
      expect(v2.status).toBe(200);
      expect(v2.bytes.length).toBe(0);
    });

    it('requires mex-clientversion, mex-osname and mex-osversion on the handshake', async () => {
      const response = await demo.request<V1Error>('POST', '', { headers: { 'mex-clientversion': 'x' } });
      expect(response.status).toBe(400);
      expect(response.json.errorDescription).toMatch(/mex-osname/);
    });

    it('refuses a missing or unreadable Authorization header with 403', async () => {
      expect((await demo.request('GET', '/inbox', { token: null })).status).toBe(403);
      expect((await demo.request('GET', '/inbox', { token: 'Basic abc' })).status).toBe(403);
    });

    it('refuses a token signed with the wrong shared secret with 403', async () => {
      const response = await demo.request<V1Error>('GET', '/inbox', { token: demo.token({ secret: 'wrong' }) });
      expect(response.status).toBe(403);
      expect(response.json.errorDescription).toMatch(/Invalid Authentication Token/);
    });

    it('refuses a token whose mailbox is not the mailbox in the path with 403', async () => {
      const response = await demo.request<V1Error>('GET', '/inbox', {
        token: demo.token({ mailbox: pharmacy.mailbox.id }),
      });
      expect(response.status).toBe(403);
      expect(response.json.errorDescription).toMatch(/does not match token/);
    });

    it('refuses a replayed token (same nonce and nonce_count) with 403 but accepts the next nonce_count', async () => {
      const nonce = randomUUID();
      expect((await demo.request('GET', '/inbox', { token: demo.token({ nonce }) })).status).toBe(200);
      const replay = await demo.request<V1Error>('GET', '/inbox', { token: demo.token({ nonce }) });
      expect(replay.status).toBe(403);
      expect(replay.json.errorDescription).toMatch(/Duplicated/);
      expect((await demo.request('GET', '/inbox', { token: demo.token({ nonce, nonceCount: 2 }) })).status).toBe(200);
    });

    it('accepts a timestamp within 2 hours of the simulated clock and refuses one further off', async () => {
      const now = gpsim.engine.clock.now();
      const near = new Date(now - 90 * 60 * 1000);
      expect((await demo.request('GET', '/inbox', { token: demo.token({ at: near }) })).status).toBe(200);
      const far = new Date(now - 3 * 60 * 60 * 1000);
      const response = await demo.request<V1Error>('GET', '/inbox', { token: demo.token({ at: far }) });
      expect(response.status).toBe(403);
      expect(response.json.errorDescription).toMatch(/2 hours/);
    });
  });

  describe('send, receive, acknowledge, track', () => {
    it('delivers a message to the recipient inbox with its mex headers, and removes it once acknowledged', async () => {
      const localId = `local-${randomUUID()}`;
      const id = await sendId(
        await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'hello mesh', {
          'mex-subject': 'A test file',
          'mex-localid': localId,
          'mex-filename': 'hello.txt',
          'mex-content-checksum': 'md5:abc',
        }),
      );
      expect(await pharmacy.inbox()).toContain(id);
      const download = await pharmacy.download(id);
      expect(download.status).toBe(200);
      expect(download.bytes.toString('utf8')).toBe('hello mesh');
      expect(download.headers.get('mex-messageid')).toBe(id);
      expect(download.headers.get('mex-from')).toBe(demo.mailbox.id);
      expect(download.headers.get('mex-to')).toBe(pharmacy.mailbox.id);
      expect(download.headers.get('mex-workflowid')).toBe(TEST_WORKFLOW);
      expect(download.headers.get('mex-messagetype')).toBe('DATA');
      expect(download.headers.get('mex-subject')).toBe('A test file');
      expect(download.headers.get('mex-localid')).toBe(localId);
      expect(download.headers.get('mex-filename')).toBe('hello.txt');

      expect((await demo.track(id)).json).toMatchObject({ message_id: id, status: 'accepted', local_id: localId });
      const ack = await pharmacy.acknowledge(id);
      expect(ack.status).toBe(200);
      expect(ack.json).toEqual({ message_id: id });
      expect(await pharmacy.inbox()).not.toContain(id);
      expect((await demo.track(id)).json).toMatchObject({ status: 'acknowledged' });
      // Like the MESH sandbox, a collected message can still be downloaded.
      expect((await pharmacy.download(id)).status).toBe(200);
    });

    it('answers HEAD on a message with its mex headers and no body, and journals traffic under the mailbox', async () => {
      const id = await sendId(await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'head me'));
      const head = await pharmacy.request('HEAD', `/inbox/${id}`, { v2: true });
      expect(head.status).toBe(200);
      expect(head.headers.get('mex-messageid')).toBe(id);
      expect(head.bytes.length).toBe(0);
      await pharmacy.acknowledge(id);
      const journal = (await (await fetch(`${gpsim.url}/__sim/journal?surface=mesh`)).json()) as control.JournalPage;
      const ack = journal.entries.find((entry) => entry.path.endsWith(`${id}/status/acknowledged`));
      expect(ack).toMatchObject({ clientId: pharmacy.mailbox.id, interaction: 'mesh.acknowledge', status: 200 });
    });

    it('returns a multi-megabyte message byte for byte (stored and read back in parts)', async () => {
      const content = Buffer.alloc(2.5 * 1024 * 1024);
      for (let i = 0; i < content.length; i++) content[i] = (i * 31 + 7) % 251;
      const id = await sendId(await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, content));
      const download = await pharmacy.download(id);
      expect(download.status).toBe(200);
      expect(download.bytes.equals(content)).toBe(true);
      expect((await demo.track(id)).json).toMatchObject({ message_id: id });
      await pharmacy.acknowledge(id);
    });

    it('forgets every message on reset', async () => {
      const id = await sendId(await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'before reset'));
      expect((await fetch(`${gpsim.url}/__sim/reset`, { method: 'POST' })).status).toBe(200);
      expect(await pharmacy.inbox()).toEqual([]);
      expect((await demo.track(id)).status).toBe(404);
    });

    it('answers send in the v1 shape ({messageID}) without the v2 Accept header', async () => {
      const response = await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'v1', {}, false);
      expect(response.status).toBe(202);
      expect(response.json.messageID).toMatch(/^\d{17}_[0-9A-F]{6}$/);
      await drain(pharmacy);
    });

    it('sends and receives a chunked message: 206 for every chunk but the last', async () => {
      const chunks = ['first chunk|', 'second chunk|', 'third chunk'];
      const id = await sendId(
        await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, chunks[0] as string, { 'mex-chunk-range': '1:3' }),
      );
      expect((await demo.sendChunk(id, 2, chunks[1] as string, 3)).status).toBe(202);
      expect(await pharmacy.inbox()).not.toContain(id);
      expect((await demo.sendChunk(id, 3, chunks[2] as string, 3)).status).toBe(202);
      expect(await pharmacy.inbox()).toContain(id);

      const first = await pharmacy.download(id);
      expect(first.status).toBe(206);
      expect(first.headers.get('mex-chunk-range')).toBe('1:3');
      const second = await pharmacy.download(id, 2);
      expect(second.status).toBe(206);
      const last = await pharmacy.download(id, 3);
      expect(last.status).toBe(200);
      expect(last.headers.get('mex-chunk-range')).toBe('3:3');
      expect(Buffer.concat([first.bytes, second.bytes, last.bytes]).toString('utf8')).toBe(chunks.join(''));
      expect((await pharmacy.download(id, 4)).status).toBe(404);
      await pharmacy.acknowledge(id);
    });

    it('replaces a chunk sent again (a retry) and refuses a chunk without a matching mex-chunk-range (417)', async () => {
      const id = await sendId(await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'a', { 'mex-chunk-range': '1:3' }));
      expect((await demo.request('POST', `/outbox/${id}/2`, { v2: true, body: 'b' })).status).toBe(417);
      expect((await demo.sendChunk(id, 2, 'x', 3)).status).toBe(202);
      expect((await demo.sendChunk(id, 2, 'b', 3)).status).toBe(202);
      expect((await demo.sendChunk(id, 3, 'c', 3)).status).toBe(202);
      expect((await demo.sendChunk(id, 3, 'c', 3)).status).toBe(409);
      expect((await pharmacy.download(id, 2)).bytes.toString('utf8')).toBe('b');
      expect((await demo.track(id)).json).toMatchObject({ status: 'accepted' });
      await drain(pharmacy);
    });

    it('pages the v2 inbox with links.next and approx_inbox_count', async () => {
      await drain(pharmacy);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await sendId(await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, `m${i}`)));
      const first = await pharmacy.request<{
        messages: string[];
        links: { next?: string };
        approx_inbox_count: number;
      }>('GET', '/inbox?max_results=2', { v2: true });
      expect(first.headers.get('content-type')).toMatch(/application\/vnd\.mesh\.v2\+json/);
      expect(first.json.messages).toEqual(ids.slice(0, 2));
      expect(first.json.approx_inbox_count).toBe(3);
      const next = first.json.links.next as string;
      expect(next).toMatch(/continue_from=/);
      const second = await pharmacy.request<{ messages: string[]; links: { next?: string } }>(
        'GET',
        next.slice(next.indexOf('/inbox')),
        { v2: true },
      );
      expect(second.json.messages).toEqual(ids.slice(2));
      expect(second.json.links.next).toBeUndefined();
      await drain(pharmacy);
    });

    it('expires an uncollected message after five days on the simulated clock: gone from the inbox, 410 on download, error 14 REPORT to the sender', async () => {
      await drain(demo);
      const id = await sendId(await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'will expire'));
      try {
        await fetch(`${gpsim.url}/__sim/clock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ advance: 'P5DT1M' }),
        });
        expect(await pharmacy.inbox()).not.toContain(id);
        expect((await pharmacy.download(id)).status).toBe(410);
        expect((await demo.track(id)).json).toMatchObject({ status: 'undeliverable', status_code: '14' });
        const reports = await demo.inbox();
        expect(reports).toHaveLength(1);
        const report = await demo.download(reports[0] as string);
        expect(report.headers.get('mex-messagetype')).toBe('REPORT');
        expect(report.headers.get('mex-statuscode')).toBe('14');
        expect(report.headers.get('mex-linkedmsgid')).toBe(id);
        await demo.acknowledge(reports[0] as string);
      } finally {
        await fetch(`${gpsim.url}/__sim/clock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reset: true }),
        });
      }
    });
  });

  describe('send errors in the spec codes and shapes', () => {
    it('refuses a request body over 100 MB with 413 and keeps nothing of it', async () => {
      const megabyte = Buffer.alloc(1024 * 1024, 0x61);
      async function* body(): AsyncGenerator<Buffer> {
        for (let i = 0; i < 101; i++) yield megabyte;
      }
      const response = await fetch(`${manifest.mesh.baseUrl}/messageexchange/${demo.mailbox.id}/outbox`, {
        method: 'POST',
        headers: {
          authorization: demo.token(),
          accept: 'application/vnd.mesh.v2+json',
          'content-type': 'application/octet-stream',
          'mex-to': pharmacy.mailbox.id,
          'mex-workflowid': TEST_WORKFLOW,
        },
        body: Readable.toWeb(Readable.from(body())) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(await pharmacy.inbox()).toEqual([]);
    });

    it('answers a missing mex-to with 400 and error code 08 (v1 shape)', async () => {
      const response = await demo.request<V1Error>('POST', '/outbox', {
        body: 'x',
        headers: { 'mex-workflowid': TEST_WORKFLOW },
      });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ errorEvent: 'SEND', errorCode: '08' });
    });

    it('answers an unregistered recipient with 417 and error code 12 (v2 shape)', async () => {
      const response = await demo.send('NOSUCHBOX1', TEST_WORKFLOW, 'x');
      expect(response.status).toBe(417);
      expect((response.json as unknown as V2Error).detail[0]).toMatchObject({ event: 'SEND', code: '12' });
    });

    it('answers a workflow the sender may not send with 403 and error code 17', async () => {
      const response = await demo.send(pharmacy.mailbox.id, 'NOT_A_WORKFLOW', 'x');
      expect(response.status).toBe(403);
      expect((response.json as unknown as V2Error).detail[0]?.code).toBe('17');
    });

    it('answers a workflow the recipient may not receive with 403 and error code 17', async () => {
      const practiceMailbox = manifest.mailboxes.find((mailbox) => mailbox.ods !== undefined);
      const response = await demo.send(practiceMailbox?.id as string, TEST_WORKFLOW, 'x');
      expect(response.status).toBe(403);
      expect((response.json as unknown as V2Error).detail[0]?.code).toBe('17');
    });

    it('answers a subject over 500 characters with 400 and error code 06', async () => {
      const response = await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'x', { 'mex-subject': 's'.repeat(501) });
      expect(response.status).toBe(400);
      expect((response.json as unknown as V2Error).detail[0]).toMatchObject({ event: 'TRANSFER', code: '06' });
    });

    it('answers an empty message with 417 and error code 02 (data file missing)', async () => {
      const response = await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, '');
      expect(response.status).toBe(417);
      expect((response.json as unknown as V2Error).detail[0]?.code).toBe('02');
    });

    it('answers mex-from naming another mailbox with 403 and error code 07', async () => {
      const response = await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'x', { 'mex-from': pharmacy.mailbox.id });
      expect(response.status).toBe(403);
      expect((response.json as unknown as V2Error).detail[0]?.code).toBe('07');
    });

    it('answers a bad mex-chunk-range with 417', async () => {
      const response = await demo.send(pharmacy.mailbox.id, TEST_WORKFLOW, 'x', { 'mex-chunk-range': '2:1' });
      expect(response.status).toBe(417);
    });
  });

  describe('GP routing (GPPROVIDER_<NHSno>_<DDMMYYYY>_<Surname>)', () => {
    const standard = () => {
      const archetype = manifest.archetypes.find((candidate) => candidate.key === 'standard');
      if (!archetype) throw new Error('no standard archetype');
      const found = gpsim.engine.population.byNhsNumber(archetype.nhsNumber);
      if (!found) throw new Error('archetype not in population');
      return { archetype, patient: found.patient };
    };
    const routing = (nhsNumber: string, birthDate: string, surname: string) => {
      const [year, month, day] = birthDate.split('-');
      return `GPPROVIDER_${nhsNumber}_${day}${month}${year}_${surname}`;
    };

    async function reportFor(messageId: string): Promise<Headers> {
      for (const id of await demo.inbox()) {
        const download = await demo.download(id);
        if (
          download.headers.get('mex-linkedmsgid') === messageId &&
          download.headers.get('mex-messagetype') === 'REPORT'
        ) {
          await demo.acknowledge(id);
          return download.headers;
        }
      }
      throw new Error(`no REPORT for ${messageId}`);
    }

    it('accepts the send (202) and reports an invalid NHS number asynchronously as EPL-152', async () => {
      const id = await sendId(await demo.send('GPPROVIDER_1234567890_01012000_Smith', SEND_DOCUMENT, '{}'));
      const report = await reportFor(id);
      expect(report.get('mex-statuscode')).toBe('EPL-152');
      expect(report.get('mex-statussuccess')).toBe('ERROR');
      expect(report.get('mex-statusevent')).toBe('SEND');
      expect(report.get('mex-workflowid')).toBe(SEND_DOCUMENT);
    });

    it('reports a valid NHS number unknown to the estate as EPL-153', async () => {
      const id = await sendId(await demo.send('GPPROVIDER_9434765919_01012000_Smith', SEND_DOCUMENT, '{}'));
      expect((await reportFor(id)).get('mex-statuscode')).toBe('EPL-153');
    });

    it('reports demographics that do not match the NHS number as EPL-154', async () => {
      const { patient } = standard();
      const id = await sendId(
        await demo.send(routing(patient.nhsNumber, patient.birthDate, 'Notthename'), SEND_DOCUMENT, '{}'),
      );
      expect((await reportFor(id)).get('mex-statuscode')).toBe('EPL-154');
    });

    it('reports a deceased patient, who has no registered practice, as EPL-151', async () => {
      const archetype = manifest.archetypes.find((candidate) => candidate.key === 'deceased');
      const patient = gpsim.engine.population.byNhsNumber(archetype?.nhsNumber as string)?.patient;
      if (!patient) throw new Error('no deceased archetype');
      const id = await sendId(
        await demo.send(routing(patient.nhsNumber, patient.birthDate, patient.name.family), SEND_DOCUMENT, '{}'),
      );
      expect((await reportFor(id)).get('mex-statuscode')).toBe('EPL-151');
    });

    describe('Send Document into practice workflow, end to end', () => {
      const bundle = (messageHeaderId: string, nhsNumber: string) =>
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'message',
          entry: [
            {
              resource: {
                resourceType: 'MessageHeader',
                id: messageHeaderId,
                extension: [
                  {
                    url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-ITK-MessageHandling-2',
                    extension: [
                      { url: 'BusAckRequested', valueBoolean: true },
                      { url: 'InfAckRequested', valueBoolean: true },
                      { url: 'RecipientType', valueCoding: { code: 'FA' } },
                    ],
                  },
                ],
                event: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2', code: 'ITK007C' },
                source: { endpoint: demo.mailbox.id },
              },
            },
            {
              resource: {
                resourceType: 'Patient',
                identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
              },
            },
          ],
        });

      async function acks(): Promise<{ id: string; code: string; acknowledges: string; headers: Headers }[]> {
        const found: { id: string; code: string; acknowledges: string; headers: Headers }[] = [];
        for (const id of await demo.inbox()) {
          const download = await demo.download(id);
          if (download.headers.get('mex-workflowid') !== ACK_WORKFLOW) continue;
          const response = JSON.parse(download.bytes.toString('utf8')) as {
            entry: {
              resource: { response?: { identifier: string }; issue?: { details: { coding: { code: string }[] } }[] };
            }[];
          };
          found.push({
            id,
            acknowledges: response.entry[0]?.resource.response?.identifier as string,
            code: response.entry[1]?.resource.issue?.[0]?.details.coding[0]?.code as string,
            headers: download.headers,
          });
          await demo.acknowledge(id);
        }
        return found;
      }

      async function tasksOf(ods: string): Promise<Task[]> {
        const response = await fetch(`${gpsim.url}/__sim/tasks?ods=${ods}`);
        return ((await response.json()) as { tasks: Task[] }).tasks;
      }

      it('creates a task titled with the MESH subject in the registered practice, acks 20013, then 30001 when staff file it', async () => {
        await drain(demo);
        const { archetype, patient } = standard();
        const headerId = randomUUID();
        const subject = `Consultation report for ${archetype.name} , NHS Number ${patient.nhsNumber}, seen at Test Clinic, ODS Code X99`;
        const localId = `consult-${randomUUID()}`;
        const id = await sendId(
          await demo.send(
            routing(patient.nhsNumber, patient.birthDate, patient.name.family),
            SEND_DOCUMENT,
            bundle(headerId, patient.nhsNumber),
            { 'mex-subject': subject, 'mex-localid': localId, 'content-type': 'application/fhir+json' },
          ),
        );
        const tasks = (await tasksOf(archetype.ods)).filter((task) => task.links.includes(id));
        expect(tasks).toHaveLength(1);
        const task = tasks[0] as Task;
        expect(task).toMatchObject({ title: subject, status: 'new', nhsNumber: patient.nhsNumber, type: 'document' });
        expect((await demo.track(id)).json).toMatchObject({ status: 'acknowledged' });

        const infrastructure = await acks();
        expect(infrastructure.map((ack) => [ack.code, ack.acknowledges])).toEqual([['20013', headerId]]);
        const practiceMailbox = manifest.mailboxes.find((mailbox) => mailbox.ods === archetype.ods);
        expect(infrastructure[0]?.headers.get('mex-from')).toBe(practiceMailbox?.id);
        expect(infrastructure[0]?.headers.get('mex-localid')).toBe(localId);

        const filed = await fetch(`${gpsim.url}/__sim/tasks/${task.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'file', by: 'gp1', version: task.version }),
        });
        expect(filed.status).toBe(200);
        const completed = (await filed.json()) as Task & { acks: { code: string; messageId: string }[] };
        expect(completed.status).toBe('completed');
        const business = await acks();
        expect(business.map((ack) => [ack.code, ack.acknowledges])).toEqual([['30001', headerId]]);
        // The item lists every ack sent back to its sender, by MESH message id, in the order sent.
        expect(completed.acks.map((ack) => ack.code)).toEqual(['20013', '30001']);
        expect(completed.acks[1]?.messageId).toBe(business[0]?.id);

        // Filed "For Action": the document is now in the record, visible through the R4 face.
        const documents = (await (
          await fetch(`${gpsim.url}/fhir/R4/DocumentReference?patient=${patient.id}&_count=100`, {
            headers: { accept: 'application/fhir+json', ...bearer(await backendToken(gpsim.url)) },
          })
        ).json()) as { entry?: { resource: { description?: string } }[] };
        expect(documents.entry?.map((entry) => entry.resource.description)).toContain(subject);
      });

      it('sends business ack 30002 when staff reject the item', async () => {
        await drain(demo);
        const { archetype, patient } = standard();
        const headerId = randomUUID();
        const id = await sendId(
          await demo.send(
            routing(patient.nhsNumber, patient.birthDate, patient.name.family),
            SEND_DOCUMENT,
            bundle(headerId, patient.nhsNumber),
            { 'mex-subject': 'Report to reject', 'mex-localid': `reject-${randomUUID()}` },
          ),
        );
        const task = (await tasksOf(archetype.ods)).find((candidate) => candidate.links.includes(id)) as Task;
        await acks();
        const rejected = await fetch(`${gpsim.url}/__sim/tasks/${task.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'reject', reason: 'Not our patient' }),
        });
        expect(rejected.status).toBe(200);
        expect((await acks()).map((ack) => ack.code)).toEqual(['30002']);
      });

      it('does not create a second task when the same mex-localid is resent', async () => {
        await drain(demo);
        const { archetype, patient } = standard();
        const localId = `resend-${randomUUID()}`;
        const send = async () =>
          sendId(
            await demo.send(
              routing(patient.nhsNumber, patient.birthDate, patient.name.family),
              SEND_DOCUMENT,
              bundle(randomUUID(), patient.nhsNumber),
              { 'mex-subject': 'Resent report', 'mex-localid': localId },
            ),
          );
        const first = await send();
        const second = await send();
        expect(second).not.toBe(first);
        const tasks = (await tasksOf(archetype.ods)).filter((task) => task.source.reference === localId);
        expect(tasks).toHaveLength(1);
        expect((await acks()).map((ack) => ack.code)).toEqual(['20013']);
      });

      it('takes Update Record into workflow as an update-record task and tells the sender nothing when staff reject it', async () => {
        await drain(pharmacy);
        const { archetype, patient } = standard();
        const headerId = randomUUID();
        const id = await sendId(
          await pharmacy.send(
            routing(patient.nhsNumber, patient.birthDate, patient.name.family),
            'GPCONNECT_UPDATE_RECORD',
            bundle(headerId, patient.nhsNumber),
            { 'mex-subject': 'Pharmacy consultation summary', 'mex-localid': `update-${randomUUID()}` },
          ),
        );
        const task = (await tasksOf(archetype.ods)).find((candidate) => candidate.links.includes(id)) as Task;
        expect(task).toMatchObject({ type: 'update-record', title: 'Pharmacy consultation summary' });
        const infrastructure = await pharmacy.inbox();
        expect(infrastructure).toHaveLength(1);
        await drain(pharmacy);
        const rejected = await fetch(`${gpsim.url}/__sim/tasks/${task.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'reject', reason: 'Duplicate of an earlier summary' }),
        });
        expect(rejected.status).toBe(200);
        expect(await pharmacy.inbox()).toEqual([]);
      });

      it('reads a compressed message sent in two chunks (each gzipped on its own, as the spec asks)', async () => {
        await drain(demo);
        const { archetype, patient } = standard();
        const text = bundle(randomUUID(), patient.nhsNumber);
        const half = Math.floor(text.length / 2);
        const id = await sendId(
          await demo.send(
            routing(patient.nhsNumber, patient.birthDate, patient.name.family),
            SEND_DOCUMENT,
            gzipSync(text.slice(0, half)),
            { 'mex-subject': 'Compressed report', 'mex-chunk-range': '1:2', 'mex-content-compressed': 'Y' },
          ),
        );
        expect((await demo.sendChunk(id, 2, gzipSync(text.slice(half)), 2)).status).toBe(202);
        const task = (await tasksOf(archetype.ods)).find((candidate) => candidate.links.includes(id));
        expect(task?.title).toBe('Compressed report');
        expect((await acks()).map((ack) => ack.code)).toEqual(['20013']);
      });

      it('answers an unreadable payload with the negative infrastructure ack 10009 and no task', async () => {
        await drain(demo);
        const { archetype, patient } = standard();
        const before = (await tasksOf(archetype.ods)).length;
        await sendId(
          await demo.send(
            routing(patient.nhsNumber, patient.birthDate, patient.name.family),
            SEND_DOCUMENT,
            'not fhir',
          ),
        );
        expect((await tasksOf(archetype.ods)).length).toBe(before);
        expect((await acks()).map((ack) => ack.code)).toEqual(['10009']);
      });
    });
  });

  describe('task control routes', () => {
    it('refuses an unknown status filter with 400', async () => {
      const response = await fetch(`${gpsim.url}/__sim/tasks?status=done`);
      expect(response.status).toBe(400);
    });

    it('refuses an illegal transition with 409 and a missing task with 404', async () => {
      const ods = manifest.practices[0]?.ods as string;
      const { task } = await gpsim.engine.tasks.create({
        ods,
        type: 'document',
        title: 'Control test',
        source: { surface: 'control', sender: 'test', reference: randomUUID() },
      });
      const act = (body: unknown, id = task.id) =>
        fetch(`${gpsim.url}/__sim/tasks/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await act({ action: 'complete' })).status).toBe(200);
      expect((await act({ action: 'start' })).status).toBe(409);
      expect((await act({ action: 'complete' }, randomUUID())).status).toBe(404);
      expect((await act({ action: 'reject' })).status).toBe(400);
    });
  });
});
