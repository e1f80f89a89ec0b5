import { randomUUID } from 'node:crypto';
import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import {
  clientIntegrationRequest,
  errorCode,
  find,
  findAll,
  identity,
  postClientIntegration,
  trustDevice,
} from '../support/systmone';
import { backendToken, bearer } from '../support/tokens';

type Partner = control.Manifest['partners'][number];

describe('SystmOne Client Integration over HTTP (POST /systmone/{ODS}/client-integration)', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let demo: Partner;
  let unpaired: Partner;
  let ods: string;
  let emisOds: string;
  let standard: string;
  let sensitive: string;

  const archetype = (key: string, practice: string) =>
    manifest.archetypes.find((a) => a.key === key && a.ods === practice)?.nhsNumber as string;
  const call = (fn: string, parameters = '', partner: Partner = demo, practice = ods, user?: string) =>
    postClientIntegration(gpsim.url, practice, clientIntegrationRequest({ partner, fn, parameters }), user);

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
    unpaired = manifest.partners.find((p) => p.name === 'gpsim-unpaired') as Partner;
    ods = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
    emisOds = manifest.practices.find((p) => p.system === 'emis')?.ods as string;
    standard = archetype('standard', ods);
    sensitive = archetype('sensitive', ods);
  });
  afterAll(() => gpsim.close());

  it('lists gpsim-demo enabled at every practice and gpsim-unpaired nowhere, with seed-derived secrets', () => {
    expect(demo.enabledAt).toEqual(manifest.practices.map((p) => p.ods));
    expect(unpaired.enabledAt).toEqual([]);
    expect(demo.deviceId).toMatch(/^[0-9a-f]{16}$/);
    expect(demo.apiKey).not.toBe(unpaired.apiKey);
  });

  it('GetPatientRecord answers with the Event-list shape of the public example, echoing the request fields', async () => {
    const requestUid = randomUUID();
    const { status, xml } = await postClientIntegration(
      gpsim.url,
      ods,
      clientIntegrationRequest({ partner: demo, fn: 'GetPatientRecord', parameters: identity(standard), requestUid }),
    );
    expect(status).toBe(200);
    expect(xml.name).toBe('ClientIntegrationResponse');
    expect(find(xml, 'RequestUID')?.text).toBe(requestUid);
    expect(find(xml, 'DeviceID')?.text).toBe(demo.deviceId);
    expect(find(xml, 'Function')?.text).toBe('GetPatientRecord');
    expect(find(xml, 'FunctionVersion')?.text).toBe('1.0');
    expect(find(xml, 'ResponseUID')?.text).toMatch(/^[0-9A-F-]{36}$/);
    expect(find(xml, 'Response', 'Identity', 'NHSNumber')?.text).toBe(standard);
    expect(find(xml, 'Response', 'Demographics', 'Surname')?.text).toBeTruthy();
    const events = findAll(find(xml, 'Response', 'Clinical'), 'Event');
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.attributes).toEqual(
        expect.objectContaining({
          DateTime: expect.any(String),
          DoneBy: expect.any(String),
          EventUID: expect.any(String),
        }),
      );
    }
    expect(findAll(xml, 'ClinicalCode').length).toBeGreaterThan(0);
    expect(find(xml, 'Response', 'RecordState')?.text).toBe('Open');
  });

  it('throttles GetPatientRecord to once per 30 s per patient per device on the simulated clock (domain.md §5.4)', async () => {
    const patient = manifest.archetypes.find((a) => a.ods === ods && a.key === 'large-record')?.nhsNumber as string;
    await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ freeze: true }) });
    expect(errorCode((await call('GetPatientRecord', identity(patient))).xml)).toBeUndefined();
    const throttled = await call('GetPatientRecord', identity(patient));
    expect(throttled.status).toBe(429);
    expect(errorCode(throttled.xml)).toBe('Throttled');
    expect(
      errorCode((await call('GetPatientRecord', `${identity(patient)}<DemographicsOnly>true</DemographicsOnly>`)).xml),
    ).toBeUndefined();
    await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT31S' }) });
    expect(errorCode((await call('GetPatientRecord', identity(patient))).xml)).toBeUndefined();
    await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ reset: true }) });
  });

  it('UpdatePatientRecord writes coded entries that the UK Core R4 API shows afterwards, once per RequestUID', async () => {
    const patient = archetype('no-allergies', ods);
    const requestUid = randomUUID();
    const body = clientIntegrationRequest({
      partner: demo,
      fn: 'UpdatePatientRecord',
      requestUid,
      parameters: `${identity(patient)}<Event><Narrative><Line>Reviewed by partner app</Line></Narrative><ClinicalCode><Code Code="195967001" Scheme="SNOMED" Term="Asthma"/><ProblemSeverity>Major</ProblemSeverity></ClinicalCode></Event>`,
    });
    const first = await postClientIntegration(gpsim.url, ods, body);
    expect(errorCode(first.xml)).toBeUndefined();
    const entryUid = find(first.xml, 'Response', 'EntryUID')?.text as string;
    const retries = await Promise.all([1, 2, 3].map(() => postClientIntegration(gpsim.url, ods, body)));
    for (const retry of retries) expect(find(retry.xml, 'Response', 'EntryUID')?.text).toBe(entryUid);

    const fhirPatient = (await (
      await fetch(`${gpsim.url}/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${patient}`, {
        headers: bearer(await backendToken(gpsim.url)),
      })
    ).json()) as { entry: { resource: { id: string } }[] };
    const patientId = fhirPatient.entry[0]?.resource.id as string;
    const conditions = (await (
      await fetch(`${gpsim.url}/fhir/R4/Condition?patient=${patientId}`, {
        headers: bearer(await backendToken(gpsim.url)),
      })
    ).json()) as {
      entry: { resource: { id: string; code: { coding: { code: string }[] } } }[];
    };
    const written = conditions.entry.filter((e) => e.resource.id === entryUid);
    expect(written).toHaveLength(1);
    expect(written[0]?.resource.code.coding[0]?.code).toBe('195967001');

    const record = await call('GetPatientRecord', identity(patient));
    expect(findAll(record.xml, 'Line').map((line) => line.text)).toContain('Reviewed by partner app');
  });

  it('files concurrent UpdatePatientRecord calls for one patient with distinct ids, none lost', async () => {
    const patient = archetype('dissent', ods);
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(
          'UpdatePatientRecord',
          `${identity(patient)}<Event><ClinicalCode><Code Code="271649006" Scheme="SNOMED" Term="Systolic blood pressure"/><Value Units="mm[Hg]">${120 + i}</Value></ClinicalCode></Event>`,
        ),
      ),
    );
    const ids = replies.flatMap((reply) => findAll(reply.xml, 'EntryUID').map((e) => e.text));
    expect(new Set(ids).size).toBe(6);
    const written = await gpsim.engine.store.records.entries(
      gpsim.engine.population.byNhsNumber(patient)?.patient.ordinal as number,
    );
    expect(written.filter((entry) => ids.includes(entry.id))).toHaveLength(6);
  });

  it('refuses UpdatePatientRecord from a non-clinical desktop user with UserNotAuthorised', async () => {
    const receptionist = manifest.users.find(
      (user) => user.ods === ods && user.role === 'receptionist' && user.email !== undefined,
    );
    if (!receptionist) throw new Error(`no receptionist with a work email at ${ods}`);
    await trustDevice(gpsim.url, receptionist, demo.deviceId);
    const reply = await call(
      'UpdatePatientRecord',
      `${identity(standard)}<Event><Narrative><Line>Should not file</Line></Narrative></Event>`,
      demo,
      ods,
      receptionist.username,
    );
    expect(reply.status).toBe(403);
    expect(errorCode(reply.xml)).toBe('UserNotAuthorised');
  });

  it('GetCurrentSelection returns the patient selected on the desktop via POST /__sim/systmone/selection', async () => {
    expect(find((await call('GetCurrentSelection')).xml, 'Response', 'NoPatientSelected')).toBeDefined();
    const selected = await fetch(`${gpsim.url}/__sim/systmone/selection`, {
      method: 'POST',
      body: JSON.stringify({ ods, nhsNumber: standard }),
    });
    expect(selected.status).toBe(200);
    const { xml } = await call('GetCurrentSelection');
    expect(find(xml, 'Response', 'Patient', 'Identity', 'NHSNumber')?.text).toBe(standard);
    const journal = (await (await fetch(`${gpsim.url}/__sim/journal?surface=control`)).json()) as control.JournalPage;
    expect(journal.entries.some((entry) => entry.path === '/__sim/systmone/selection')).toBe(true);
  });

  it('PatientSearch finds by NHS number and by two demographic criteria, and refuses one criterion', async () => {
    const byNumber = await call('PatientSearch', `<NhsNumber>${standard}</NhsNumber>`);
    expect(findAll(byNumber.xml, 'NHSNumber').map((e) => e.text)).toEqual([standard]);
    const surname = find(byNumber.xml, 'Response', 'Patients', 'Patient', 'Demographics', 'Surname')?.text as string;
    const dob = find(byNumber.xml, 'Response', 'Patients', 'Patient', 'Demographics', 'DateOfBirth')?.text as string;
    const byDemographics = await call(
      'PatientSearch',
      `<Surname>${surname}</Surname><DateOfBirth>${dob}</DateOfBirth>`,
    );
    expect(findAll(byDemographics.xml, 'NHSNumber').map((e) => e.text)).toContain(standard);
    expect(errorCode((await call('PatientSearch', `<Surname>${surname}</Surname>`)).xml)).toBe('InvalidParameter');
  });

  it('CreateTask puts one task in the practice workflow per RequestUID', async () => {
    const requestUid = randomUUID();
    const body = clientIntegrationRequest({
      partner: demo,
      fn: 'CreateTask',
      requestUid,
      parameters: `${identity(standard)}<Title>Please review results</Title>`,
    });
    const first = await postClientIntegration(gpsim.url, ods, body);
    const second = await postClientIntegration(gpsim.url, ods, body);
    const taskUid = find(first.xml, 'Response', 'TaskUID')?.text as string;
    expect(taskUid).toBeTruthy();
    expect(find(second.xml, 'Response', 'TaskUID')?.text).toBe(taskUid);
    const task = await gpsim.engine.tasks.get(taskUid);
    expect(task).toMatchObject({ ods, nhsNumber: standard, source: { surface: 'systmone', reference: requestUid } });
  });

  it('LaunchFunctionality is journaled against the partner and function', async () => {
    const { xml } = await call('LaunchFunctionality', '<Functionality>RecordAppointment</Functionality>');
    expect(find(xml, 'Response', 'Launched')?.text).toBe('RecordAppointment');
    const journal = (await (await fetch(`${gpsim.url}/__sim/journal?surface=systmone`)).json()) as control.JournalPage;
    expect(journal.entries.some((entry) => entry.interaction === 'LaunchFunctionality')).toBe(true);
  });

  describe('stable XML error codes', () => {
    it.each([
      ['InvalidAPIKey', { apiKey: 'not-a-key' }, 401],
      ['DeviceNotRegistered', { deviceId: '0000000000000000' }, 401],
      ['UnknownFunction', { fn: 'DeleteEverything' }, 400],
      ['UnsupportedFunctionVersion', { functionVersion: '9.9' }, 400],
    ])('%s', async (code, override, status) => {
      const body = clientIntegrationRequest({ partner: demo, fn: 'GetCurrentSelection', ...override });
      const reply = await postClientIntegration(gpsim.url, ods, body);
      expect(reply.status).toBe(status);
      expect(errorCode(reply.xml)).toBe(code);
    });

    it('PatientNotFound for a patient of another practice, SensitiveRecord for an S-flag patient', async () => {
      const elsewhere = manifest.archetypes.find((a) => a.ods !== ods && a.key === 'standard')?.nhsNumber as string;
      expect(errorCode((await call('GetPatientRecord', identity(elsewhere))).xml)).toBe('PatientNotFound');
      expect(errorCode((await call('GetPatientRecord', identity(sensitive))).xml)).toBe('SensitiveRecord');
    });

    it('DeviceNotTrusted when a desktop user other than the default GP has not validated the partner device, until they do', async () => {
      const nurse = manifest.users.find(
        (user) => user.ods === ods && user.role === 'nurse' && user.email !== undefined,
      );
      if (!nurse) throw new Error(`no nurse with a work email at ${ods}`);
      const refused = await call('GetCurrentSelection', '', demo, ods, nurse.username);
      expect(refused.status).toBe(403);
      expect(errorCode(refused.xml)).toBe('DeviceNotTrusted');
      expect(find(refused.xml, 'Error', 'Message')?.text).toContain('/__sim/devices/login');
      await trustDevice(gpsim.url, nurse, demo.deviceId);
      expect((await call('GetCurrentSelection', '', demo, ods, nurse.username)).status).toBe(200);
    });

    it('device trust lapses after 30 simulated days (DeviceNotTrusted again)', async () => {
      // A user no other test has trusted: not the default GP, nor a colleague or receptionist.
      const colleague = manifest.users.find(
        (user) => user.ods === ods && user.email && !['gp', 'colleague', 'receptionist'].includes(user.role),
      );
      if (!colleague) throw new Error(`no other user with a work email at ${ods}`);
      await trustDevice(gpsim.url, colleague, demo.deviceId);
      expect((await call('GetCurrentSelection', '', demo, ods, colleague.username)).status).toBe(200);
      await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'P31D' }) });
      try {
        const lapsed = await call('GetCurrentSelection', '', demo, ods, colleague.username);
        expect(errorCode(lapsed.xml)).toBe('DeviceNotTrusted');
      } finally {
        await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ reset: true }) });
      }
    });

    it('the default desktop (first GP) is trusted on the partner device without validation', async () => {
      expect((await call('GetCurrentSelection')).status).toBe(200);
    });

    it('UserNotLoggedIn when ?user= names no desktop at this practice', async () => {
      expect(errorCode((await call('GetCurrentSelection', '', demo, ods, 'nobody0000')).xml)).toBe('UserNotLoggedIn');
    });

    it('MalformedXML for a document that is not well formed, with no stack trace', async () => {
      const reply = await postClientIntegration(gpsim.url, ods, '<ClientIntegrationRequest><RequestUID>');
      expect(reply.status).toBe(400);
      expect(errorCode(reply.xml)).toBe('MalformedXML');
      expect(reply.text).not.toMatch(/at .*\.ts:\d+/);
    });

    it('refuses DOCTYPE / entity definitions (no XXE, no entity expansion)', async () => {
      const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><ClientIntegrationRequest><RequestUID>&x;</RequestUID></ClientIntegrationRequest>`;
      const reply = await postClientIntegration(gpsim.url, ods, xxe);
      expect(errorCode(reply.xml)).toBe('MalformedXML');
      expect(reply.text).not.toContain('root:');
    });

    it('WrongClinicalSystem names EMIS Web when a SystmOne function is sent to an EMIS practice', async () => {
      const reply = await call('GetCurrentSelection', '', demo, emisOds);
      expect(errorCode(reply.xml)).toBe('WrongClinicalSystem');
      expect(find(reply.xml, 'Error', 'Message')?.text).toContain('EMIS Web');
    });
  });

  describe('enablement matrix (practice configuration, go-live guide)', () => {
    it('refuses gpsim-unpaired until the practice authorises it, then allows it', async () => {
      expect(errorCode((await call('GetCurrentSelection', '', unpaired)).xml)).toBe('FunctionNotEnabled');
      const audit = (await (await fetch(`${gpsim.url}/__sim/audit?surface=systmone`)).json()) as {
        events: { clientId?: string; outcome: string; reason?: string }[];
      };
      expect(audit.events).toContainEqual(
        expect.objectContaining({ clientId: 'gpsim-unpaired', outcome: 'refused', reason: 'FunctionNotEnabled' }),
      );
      await fetch(`${gpsim.url}/__sim/practices/${ods}`, {
        method: 'PATCH',
        body: JSON.stringify({ partners: { 'gpsim-unpaired': { enabled: true } } }),
      });
      expect(errorCode((await call('GetCurrentSelection', '', unpaired)).xml)).toBeUndefined();
      const refreshed = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
      expect(refreshed.partners.find((p) => p.name === 'gpsim-unpaired')?.enabledAt).toEqual([ods]);
      await fetch(`${gpsim.url}/__sim/practices/${ods}`, {
        method: 'PATCH',
        body: JSON.stringify({ partners: { 'gpsim-unpaired': { enabled: false } } }),
      });
    });

    it('refuses one function switched off for gpsim-demo while others still work', async () => {
      await fetch(`${gpsim.url}/__sim/practices/${ods}`, {
        method: 'PATCH',
        body: JSON.stringify({ partners: { 'gpsim-demo': { functions: { PatientSearch: false } } } }),
      });
      const refused = await call('PatientSearch', `<NhsNumber>${standard}</NhsNumber>`);
      expect(refused.status).toBe(403);
      expect(errorCode(refused.xml)).toBe('FunctionNotEnabled');
      expect(errorCode((await call('GetCurrentSelection')).xml)).toBeUndefined();
      await fetch(`${gpsim.url}/__sim/practices/${ods}`, {
        method: 'PATCH',
        body: JSON.stringify({ partners: { 'gpsim-demo': { functions: { PatientSearch: true } } } }),
      });
    });
  });
});
