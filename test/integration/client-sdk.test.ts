import type { control } from '@gpsim/contracts';
import { systmone } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { z } from 'zod';
import type { Appointment, Bundle, Resource, Slot } from '@gpsim/client';
import {
  EmisClient,
  GpsimApiError,
  GpsimControl,
  SystmOneClient,
  authorizeUrl,
  childAt,
  createPkce,
  discover,
  emisXContext,
  exchangeCode,
  parseLaunch,
  parseRedirect,
  refreshToken,
} from '@gpsim/client';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { gpConnectClientFor, meshClientFor } from '../support/sdk-clients';

/**
 * Every client of @gpsim/client against a real gpsim on port 0: the calls a vendor makes, through
 * the SDK's one transport, and the errors it gets back in each surface's dialect.
 */
describe('@gpsim/client against a running gpsim', () => {
  let gpsim: RunningGpsim;
  let sim: GpsimControl;
  let manifest: control.Manifest;
  const archetype = (key: string, system: 'systmone' | 'emis' = 'systmone') => {
    const ods = manifest.practices.find((practice) => practice.system === system)?.ods;
    return manifest.archetypes.find(
      (candidate) => candidate.key === key && candidate.ods === ods,
    ) as control.Manifest['archetypes'][number];
  };
  const practiceOf = (ods: string) =>
    manifest.practices.find((practice) => practice.ods === ods) as control.Manifest['practices'][number];
  const entries = <R extends Resource>(bundle: Bundle<R>): R[] => (bundle.entry ?? []).map((entry) => entry.resource);

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, tcpPort: 0 });
    sim = new GpsimControl({ baseUrl: gpsim.url });
    manifest = await sim.fixtures();
  });
  afterAll(() => gpsim.close());

  describe('GpConnectClient', () => {
    const standard = () => archetype('standard');
    const client = () => gpConnectClientFor(manifest, practiceOf(standard().ods));
    const patientId = async () => entries(await client().findPatient(standard().nhsNumber))[0]?.id as string;
    const day = async (offset: number) =>
      new Date(Date.parse((await sim.clock()).now) + offset * 86_400_000).toISOString().slice(0, 10);

    it('reads the CapabilityStatement, finds and reads a patient with its ETag', async () => {
      expect((await client().metadata()).resourceType).toBe('CapabilityStatement');
      const found = await client().findPatient(standard().nhsNumber);
      expect(found).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
      const read = await client().readPatient(await patientId());
      expect(read.resource.resourceType).toBe('Patient');
      expect(read.etag).toMatch(/^W\/"\w+"$/);
    });

    it('answers a bad NHS number with a GpsimApiError carrying the Spine code and the Ssp-TraceID', async () => {
      const error = (await client()
        .findPatient('1234567890')
        .catch((caught: unknown) => caught)) as GpsimApiError;
      expect(error).toBeInstanceOf(GpsimApiError);
      expect(error).toMatchObject({ surface: 'gpconnect', status: 400, code: 'INVALID_NHS_NUMBER', retryable: false });
      expect(error.traceId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('registers a patient of another practice temporarily (GPC register a patient)', async () => {
      const elsewhere = manifest.archetypes.find(
        (candidate) => candidate.key === 'standard' && candidate.ods !== standard().ods,
      ) as control.Manifest['archetypes'][number];
      const [given = '', ...family] = elsewhere.name.split(' ');
      const registered = await client().registerPatient({
        nhsNumber: elsewhere.nhsNumber,
        family: family.join(' '),
        given: [given],
        birthDate: elsewhere.birthDate,
      });
      expect(registered).toMatchObject({ resourceType: 'Bundle', total: 1 });
      expect((await client().findPatient(elsewhere.nhsNumber)).total).toBe(1);
    });

    it('searches free slots, books one, amends it with If-Match, refuses a stale ETag, then cancels', async () => {
      const slots = entries(await client().searchSlots({ start: await day(1), end: await day(7) })).filter(
        (resource): resource is Slot => resource.resourceType === 'Slot',
      );
      expect(slots.length).toBeGreaterThan(0);
      const booked = await client().bookAppointment({
        slot: slots[0] as Slot,
        patientId: await patientId(),
        description: 'Review of symptoms',
      });
      expect(booked.resource).toMatchObject({ resourceType: 'Appointment', status: 'booked' });
      expect(booked.etag).toBe('W/"1"');
      const read = await client().readAppointment(booked.resource.id as string);
      expect(read.resource.description).toBe('Review of symptoms');
      const amended = await client().amendAppointment(read, { comment: 'Bring your inhaler' });
      expect(amended.resource.comment).toBe('Bring your inhaler');
      expect(amended.etag).toBe('W/"2"');
      const stale = (await client()
        .amendAppointment(read, { comment: 'again' })
        .catch((caught: unknown) => caught)) as GpsimApiError;
      expect(stale).toMatchObject({ status: 409, surface: 'gpconnect' });
      const cancelled = await client().cancelAppointment(amended, 'Patient request');
      expect(cancelled.resource.status).toBe('cancelled');
      const listed = await client().patientAppointments(await patientId(), { start: await day(0), end: await day(8) });
      expect(entries(listed).some((appointment: Appointment) => appointment.id === booked.resource.id)).toBe(true);
    });

    it('gets the structured record for a typed query (allergies and medication with issues)', async () => {
      const record = await client().getStructuredRecord({
        nhsNumber: standard().nhsNumber,
        allergies: { includeResolved: true },
        medication: { includeIssues: true },
      });
      expect(record).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      const types = new Set(entries(record).map((resource) => resource.resourceType));
      expect(types).toEqual(expect.objectContaining(new Set(['Patient', 'AllergyIntolerance'])));
    });

    it('migrates a record: patient only without includeFullRecord, every area with it (reason migration, conf/R for sensitive)', async () => {
      // GPC accessrecord_structured_development_migrate_patient_record: the JWT must say reason_for_request
      // "migration"; includeSensitiveInformation true is refused unless requested_scope carries conf/R.
      // Only the patient's registered practice on PDS may migrate: register them at the SDK's organisation first.
      const nhsNumber = standard().nhsNumber;
      expect(await sim.registerOnPds(nhsNumber, 'A1001')).toMatchObject({ ods: 'A1001', moved: true });
      const bare = await client().migrateStructuredRecord({ nhsNumber });
      expect(bare).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      const bareTypes = new Set(entries(bare).map((resource) => resource.resourceType));
      expect(bareTypes.has('Patient')).toBe(true);
      expect(bareTypes.has('AllergyIntolerance')).toBe(false);
      for (const includeSensitive of [false, true]) {
        const full = await client().migrateStructuredRecord({ nhsNumber, fullRecord: { includeSensitive } });
        const types = new Set(entries(full).map((resource) => resource.resourceType));
        expect([types.has('Patient'), types.has('AllergyIntolerance')]).toEqual([true, true]);
      }
    });

    it('searches documents and reads one as a Binary (Access Document)', async () => {
      const person = archetype('large-document');
      const documents = gpConnectClientFor(manifest, practiceOf(person.ods));
      const patient = entries(await documents.findDocumentsPatient(person.nhsNumber))[0];
      const found = await documents.searchDocuments(patient?.id as string);
      const reference = entries(found).find((resource) => resource.resourceType === 'DocumentReference') as
        { content: { attachment: { url: string } }[] } | undefined;
      const url = reference?.content[0]?.attachment.url ?? '';
      const binary = await documents.readBinary(url.slice(url.lastIndexOf('/') + 1));
      expect(binary).toMatchObject({ resourceType: 'Binary', contentType: 'application/pdf' });
    });

    it('goes through the Spine Secure Proxy in SSP-prefix mode and gets the same answer', async () => {
      const paths: string[] = [];
      const direct = await client().findPatient(standard().nhsNumber);
      const proxied = await gpConnectClientFor(manifest, practiceOf(standard().ods), {
        ssp: manifest.endpoints.ssp,
        hooks: { onAttempt: (event) => paths.push(event.path) },
      }).findPatient(standard().nhsNumber);
      expect(paths[0]).toMatch(new RegExp(`^/ssp/${practiceOf(standard().ods).serviceRoots.gpconnect}/Patient\\?`));
      // The Bundle's own id and timestamp are per response; the entries are the answer.
      expect(proxied.entry).toEqual(direct.entry);
    });

    it('retries a read through a one-off 503 and honours Retry-After', async () => {
      const { id } = await sim.addFault({
        match: { surface: 'gpconnect', method: 'GET' },
        fault: { kind: 'maintenance', retryAfterS: 0 },
        times: 1,
      });
      const retries: number[] = [];
      const found = await gpConnectClientFor(manifest, practiceOf(standard().ods), {
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        hooks: { onRetry: (event) => retries.push(event.attempt) },
      }).findPatient(standard().nhsNumber);
      expect(found.total).toBe(1);
      expect(retries).toEqual([1]);
      await sim.removeFault(id).catch(() => undefined);
    });

    it('never retries a booking (a POST without an idempotency key) on a 503', async () => {
      const { id } = await sim.addFault({
        match: { surface: 'gpconnect', method: 'POST' },
        fault: { kind: 'status', status: 503 },
        times: 1,
      });
      const attempts: number[] = [];
      const error = (await gpConnectClientFor(manifest, practiceOf(standard().ods), {
        hooks: { onAttempt: (event) => attempts.push(event.attempt) },
      })
        .registerPatient({ nhsNumber: standard().nhsNumber, family: 'X', given: ['Y'], birthDate: '2000-01-01' })
        .catch((caught: unknown) => caught)) as GpsimApiError;
      expect(error).toMatchObject({ status: 503, retryable: true });
      expect(attempts).toEqual([1]);
      await sim.removeFault(id).catch(() => undefined);
    });
  });

  describe('MeshClient', () => {
    const mailbox = (partner: string) =>
      manifest.mailboxes.find((candidate) => candidate.partner === partner) as control.Manifest['mailboxes'][number];
    const clock = () => gpsim.engine.clock.now();
    const read = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());

    it('handshakes, sends, pages the inbox, downloads, acknowledges and tracks', async () => {
      const demo = meshClientFor(manifest, mailbox('gpsim-demo'), { clock });
      const pharmacy = meshClientFor(manifest, mailbox('gpsim-pharmacy'), { clock });
      expect((await demo.handshake()).mailboxId).toBe(mailbox('gpsim-demo').id);
      const sent = await demo.send({
        to: mailbox('gpsim-pharmacy').id,
        workflowId: 'GPSIM_TEST',
        content: 'hello',
        localId: 'sdk-1',
      });
      expect(sent.message_id).toMatch(/^\d{17}_[0-9A-F]{6}$/);
      const ids: string[] = [];
      for await (const id of pharmacy.inbox({ pageSize: 1 })) ids.push(id);
      expect(ids).toContain(sent.message_id);
      const message = await pharmacy.download(sent.message_id);
      expect(message.headers['mex-localid']).toBe('sdk-1');
      expect(new TextDecoder().decode(await read(message.body))).toBe('hello');
      await pharmacy.acknowledge(sent.message_id);
      expect((await demo.tracking(sent.message_id)).status).toBe('acknowledged');
    });

    it('sends a chunked, gzipped message from a stream and downloads it back byte for byte', async () => {
      const demo = meshClientFor(manifest, mailbox('gpsim-demo'), { clock, chunkSize: 4096 });
      const pharmacy = meshClientFor(manifest, mailbox('gpsim-pharmacy'), { clock });
      const content = new Uint8Array(10_000).map((_, index) => (index * 7) % 251);
      const stream = new Blob([content]).stream();
      const sent = await demo.send({
        to: mailbox('gpsim-pharmacy').id,
        workflowId: 'GPSIM_TEST',
        content: { stream, size: content.length },
        compress: true,
      });
      const message = await pharmacy.download(sent.message_id);
      expect(message.totalChunks).toBe(3);
      expect(message.headers['mex-content-compressed']).toBe('Y');
      expect(Buffer.from(await read(message.body)).equals(Buffer.from(content))).toBe(true);
      await pharmacy.acknowledge(sent.message_id);
    });

    it('answers a wrong password with a GpsimApiError carrying the MESH error code', async () => {
      const wrong = meshClientFor(manifest, { ...mailbox('gpsim-demo'), password: 'not-the-password' }, { clock });
      const error = (await wrong.inboxPage().catch((caught: unknown) => caught)) as GpsimApiError;
      expect(error).toMatchObject({ surface: 'mesh', status: 403 });
      expect(error.code).toMatch(/^\w+$/);
    });
  });

  describe('SystmOneClient', () => {
    const partner = () =>
      manifest.partners.find((candidate) => candidate.name === 'gpsim-demo') as control.Manifest['partners'][number];
    const systmOneOds = () => manifest.practices.find((practice) => practice.system === 'systmone')?.ods as string;
    const over = (carriage: ConstructorParameters<typeof SystmOneClient>[0]['carriage']) =>
      new SystmOneClient({ carriage, ods: systmOneOds(), apiKey: partner().apiKey, deviceId: partner().deviceId });

    // A different patient per carriage: SystmOne throttles reading one record twice within 30 s.
    it.each([
      ['HTTP', 'standard', () => over({ kind: 'http', baseUrl: manifest.endpoints.systmOne })],
      [
        'TCP, length-prefixed',
        'no-allergies',
        () => over({ kind: 'tcp', host: '127.0.0.1', port: gpsim.tcpPort as number }),
      ],
      [
        'TCP, read-until-idle',
        'large-record',
        () => over({ kind: 'tcp', host: '127.0.0.1', port: gpsim.tcpPort as number, framing: 'read-until-idle' }),
      ],
    ])('reads a patient record over %s with a generated RequestUID echoed back', async (_carriage, key, make) => {
      const reply = await make().getPatientRecord(archetype(key).nhsNumber);
      expect(reply.requestUid).toMatch(/^[0-9A-F-]{36}$/);
      expect(childAt(reply.document, 'RequestUID')?.text).toBe(reply.requestUid);
      expect(JSON.stringify(reply.response)).toContain(archetype(key).nhsNumber);
      // The typed result is the contract's GetPatientRecord Response, in the form the schema reads.
      expect(reply.result.Identity.NHSNumber).toBe(archetype(key).nhsNumber);
      expect(systmone.GetPatientRecordResponse.shape.Response.safeParse(reply.result).error).toBeUndefined();
    });

    // Every function's typed result is its contract's Response (contracts/src/systmone/client-integration.ts).
    const expectContract = (schema: { shape: { Response: z.ZodType } }, reply: { result: unknown }) =>
      expect(schema.shape.Response.safeParse(reply.result).error).toBeUndefined();
    const day = async (offset: number) =>
      new Date(Date.parse((await sim.clock()).now) + offset * 86_400_000).toISOString().slice(0, 10);

    it('answers every other function with its contract Response', async () => {
      const client = over({ kind: 'http', baseUrl: manifest.endpoints.systmOne });
      const nhsNumber = archetype('standard').nhsNumber;

      const selection = await client.getCurrentSelection();
      expectContract(systmone.GetCurrentSelectionResponse, selection);
      expect(selection.result.User.UserName).not.toBe('');

      const found = await client.patientSearch({ NhsNumber: nhsNumber });
      expectContract(systmone.PatientSearchResponse, found);
      expect(JSON.stringify(found.result.Patients)).toContain(nhsNumber);
      const nobody = await client.patientSearch({ Surname: 'Nosuchname', DateOfBirth: '1900-01-01' });
      expectContract(systmone.PatientSearchResponse, nobody);
      expect(nobody.result.Patients).toBe('');

      const written = await client.updatePatientRecord({
        Identity: { NhsNumber: nhsNumber },
        Event: {
          Narrative: { Line: ['Seen via the SDK'] },
          ClinicalCode: [{ Code: { '@Code': '38341003', '@Term': 'Hypertension' }, ProblemSeverity: 'Minor' }],
        },
      });
      expectContract(systmone.UpdatePatientRecordResponse, written);
      expect(written.result.Identity.NHSNumber).toBe(nhsNumber);

      const launched = await client.launchFunctionality({ Functionality: 'RecordAppointment' });
      expectContract(systmone.LaunchFunctionalityResponse, launched);
      expect(launched.result.Launched).toBe('RecordAppointment');

      const created = await client.createTask({ Title: 'SDK typed task', Identity: { NhsNumber: nhsNumber } });
      expectContract(systmone.CreateTaskResponse, created);
      const tasks = await client.getTasks({ Identity: { NhsNumber: nhsNumber } });
      expectContract(systmone.GetTasksResponse, tasks);
      expect(JSON.stringify(tasks.result.Tasks)).toContain(created.result.TaskUID);
      const task = await client.getTask(created.result.TaskUID);
      expectContract(systmone.GetTaskResponse, task);
      expect(task.result.Task.Subject).toBe('SDK typed task');

      const slots = await client.getAppointmentSlots({ DateFrom: await day(1), DateTo: await day(7) });
      expectContract(systmone.GetAppointmentSlotsResponse, slots);
      const free = systmone.GetAppointmentSlotsResponse.shape.Response.parse(slots.result).Slots;
      const slot = free === '' ? undefined : free.Slot.at(-1);
      expect(slot).toBeDefined();
      const booked = await client.bookAppointment({
        Identity: { NhsNumber: nhsNumber },
        SlotUID: slot?.['@SlotUID'] as string,
      });
      expectContract(systmone.BookAppointmentResponse, booked);
      expect(booked.result.Appointment['@SlotUID']).toBe(slot?.['@SlotUID']);
    });

    it('answers an unknown NHS number with a GpsimApiError carrying the SystmOne error code', async () => {
      const error = (await over({ kind: 'http', baseUrl: manifest.endpoints.systmOne })
        .getPatientRecord('1234567890')
        .catch((caught: unknown) => caught)) as GpsimApiError;
      expect(error).toMatchObject({ surface: 'systmone', status: 404, code: 'PatientNotFound' });
    });

    it('writes a task once when the same RequestUID is sent twice (a retry after a lost reply)', async () => {
      const client = over({ kind: 'tcp', host: '127.0.0.1', port: gpsim.tcpPort as number });
      const requestUid = crypto.randomUUID().toUpperCase();
      const parameters = {
        Title: `SDK retried task ${requestUid}`,
        Identity: { NhsNumber: archetype('standard').nhsNumber },
      };
      const first = await client.call('CreateTask', parameters, { requestUid });
      const second = await client.call('CreateTask', parameters, { requestUid });
      expect(second.responseUid).toBe(first.responseUid);
      expectContract(systmone.CreateTaskResponse, second);
      expect(second.result.TaskUID).toBe(first.result.TaskUID);
      const { tasks } = await sim.tasks({ ods: systmOneOds() });
      expect(tasks.filter((task) => JSON.stringify(task).includes(requestUid))).toHaveLength(1);
    });
  });

  describe('EmisClient', () => {
    const emisClient = (options: Partial<ConstructorParameters<typeof EmisClient>[0]> = {}) => {
      const partner = manifest.partners.find(
        (candidate) => candidate.name === 'gpsim-demo',
      ) as control.Manifest['partners'][number];
      return new EmisClient({
        baseUrl: manifest.endpoints.emis,
        clientId: partner.clientId,
        clientSecret: partner.clientSecret,
        organisationId: archetype('standard', 'emis').ods,
        ...options,
      });
    };

    it('logs on, matches a patient, reads the record, files a consultation and reads its status', async () => {
      const client = emisClient();
      const session = await client.logon();
      expect(session.OrganisationId).toBe(archetype('standard', 'emis').ods);
      const nhsNumber = archetype('standard', 'emis').nhsNumber;
      const matched = await client.getMatchedPatient({ NhsNumber: nhsNumber });
      expect(matched.MatchedPatients.Patient?.[0]?.NhsNumber).toBe(nhsNumber);
      const record = await client.getMedicalRecord({ NhsNumber: nhsNumber });
      expect(record.MedicalRecord).toBeDefined();
      const filed = await client.fileRecord({
        NhsNumber: nhsNumber,
        Consultation: { Narrative: { Line: ['Seen via the SDK'] } },
      });
      expect((await client.getFileStatus(filed.FileRecordId)).FileStatus).toBe('Filed');
      expect((await client.getDocuments({ NhsNumber: nhsNumber })).Documents).toBeDefined();
    });

    it('creates exactly one task when a timed-out write is retried with its IdempotencyKey', async () => {
      const title = `SDK idempotent ${crypto.randomUUID()}`;
      const { id } = await sim.addFault({
        match: { surface: 'emis', path: '/emis/partner-api/CreateTask' },
        fault: { kind: 'latency', ms: 400 },
        times: 1,
      });
      const attempts: number[] = [];
      const client = emisClient({
        timeoutMs: 150,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        hooks: { onAttempt: (event) => attempts.push(event.attempt) },
      });
      await client.logon();
      const created = await client.createTask({ NhsNumber: archetype('standard', 'emis').nhsNumber, Title: title });
      expect(attempts.length).toBeGreaterThanOrEqual(3);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const { tasks } = await sim.tasks({ ods: archetype('standard', 'emis').ods });
      const mine = tasks.filter((task) => JSON.stringify(task).includes(title));
      expect(mine).toHaveLength(1);
      expect(mine[0]?.id).toBe(created.TaskId);
      await sim.removeFault(id).catch(() => undefined);
    });

    it('answers bad credentials with a GpsimApiError carrying the EMIS error code', async () => {
      const error = (await emisClient({ clientSecret: 'wrong-secret-wrong-secret' })
        .logon()
        .catch((caught: unknown) => caught)) as GpsimApiError;
      expect(error).toMatchObject({ surface: 'emis', status: 401 });
      expect(error.code).toMatch(/^[A-Za-z]+$/);
    });
  });

  describe('launch helpers', () => {
    it('runs an EHR launch: parse iss/launch, discover, PKCE authorize, exchange, refresh, EMIS-X context', async () => {
      const person = archetype('standard', 'emis');
      const gp = manifest.users.find(
        (user) => user.ods === person.ods && user.role === 'gp',
      ) as control.Manifest['users'][number];
      const client = manifest.clients.find((candidate) => candidate.clientId === 'gpsim-demo') as control.OAuthClient;
      const launched = await sim.launch({
        ods: person.ods,
        nhsNumber: person.nhsNumber,
        username: gp.username,
        app: { clientId: client.clientId },
        autoApprove: true,
      });
      const { iss, launch } = parseLaunch(launched.url);
      const configuration = await discover(iss);
      const pkce = await createPkce();
      expect(pkce.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const redirectUri = client.redirectUris[0] as string;
      const url = authorizeUrl({
        configuration,
        clientId: client.clientId,
        redirectUri,
        scope: 'launch openid fhirUser patient/*.rs offline_access',
        state: 'state-1',
        aud: iss,
        launch,
        pkce,
      });
      const redirected = await fetch(url, { redirect: 'manual' });
      const { code } = parseRedirect(redirected.headers.get('location') ?? '', 'state-1');
      const token = await exchangeCode({
        configuration,
        clientId: client.clientId,
        code,
        redirectUri,
        codeVerifier: pkce.verifier,
      });
      expect(token).toMatchObject({ token_type: 'Bearer', patient: expect.any(String) });
      expect(emisXContext(token)?.patient?.nhsNumber).toBe(person.nhsNumber);
      const refreshed = await refreshToken({
        configuration,
        clientId: client.clientId,
        refreshToken: token.refresh_token as string,
      });
      expect(refreshed.access_token).not.toBe(token.access_token);
    });

    it('refuses a PKCE verifier that does not match with a GpsimApiError carrying the OAuth error', async () => {
      const configuration = await discover(manifest.endpoints.fhirR4);
      const error = (await exchangeCode({
        configuration,
        clientId: 'gpsim-demo',
        code: 'not-a-code',
        redirectUri: 'http://localhost:3000/callback',
        codeVerifier: 'x'.repeat(43),
      }).catch((caught: unknown) => caught)) as GpsimApiError;
      expect(error).toMatchObject({ surface: 'oauth', status: 400, code: 'invalid_grant' });
    });
  });

  describe('GpsimControl', () => {
    it('covers faults, scenarios, journal, audit, report, practices, clients, mailbox and the SystmOne desktop', async () => {
      expect((await sim.health()).status).toBe('ok');
      const { id } = await sim.addFault({ match: { surface: 'pds' }, fault: { kind: 'status', status: 503 } });
      expect((await sim.faults()).rules.map((rule) => rule.id)).toContain(id);
      await sim.removeFault(id);
      expect((await sim.scenarios()).scenarios.length).toBeGreaterThan(0);
      expect((await sim.journal({ limit: 5 })).entries.length).toBeGreaterThan(0);
      expect(Array.isArray((await sim.audit({ limit: 5 })).events)).toBe(true);
      expect(await sim.report()).toHaveProperty('clients');
      expect(await sim.reportDocument('junit')).toMatch(/<testsuites?/);
      const { practices } = await sim.practices();
      expect(practices.length).toBe(manifest.practices.length);
      expect(await sim.practice(manifest.practices[0]?.ods as string)).toHaveProperty('settings.gpconnect.enabled');
      expect((await sim.clients()).clients.map((client) => client.clientId)).toContain('gpsim-demo');
      expect(Array.isArray((await sim.mailbox()).messages)).toBe(true);
      const ods = manifest.practices.find((practice) => practice.system === 'systmone')?.ods as string;
      const desktop = await sim.setSystmOneTcpDesktop({ ods });
      expect((await sim.systmOneTcpDesktop()).ods).toBe(desktop.ods);
      const selected = await sim.selectSystmOnePatient({ ods, nhsNumber: archetype('standard').nhsNumber });
      expect(selected.nhsNumber).toBe(archetype('standard').nhsNumber);
    });

    it('moves the clock and resets it, answering bad input with a control GpsimApiError', async () => {
      const moved = await sim.moveClock({ set: '2030-05-01T10:00:00Z', freeze: true });
      expect(moved.now).toBe('2030-05-01T10:00:00.000Z');
      await sim.reset();
      const error = (await sim
        .moveClock({ set: 'not a date' } as never)
        .catch((caught: unknown) => caught)) as GpsimApiError;
      expect(error).toMatchObject({ surface: 'control', status: 400 });
    });
  });
});
