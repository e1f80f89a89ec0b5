import { randomUUID } from 'node:crypto';
import { control, emis } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { parseXml } from '@gpsim/simulator/surfaces/shared/xml';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { find, findAll } from '../support/systmone';
import { backendToken, bearer } from '../support/tokens';

type Partner = control.Manifest['partners'][number];
interface JsonReply {
  Outcome: 'Success' | 'Failure';
  Result?: Record<string, unknown>;
  Error?: { Code: string; Description: string };
}

describe('EMIS partner API /emis/partner-api (EMIS Open–style, approximate)', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let demo: Partner;
  let unpaired: Partner;
  let ods: string;
  let systmOneOds: string;
  let standard: string;

  const json = async (method: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gpsim.url}/emis/partner-api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as JsonReply };
  };
  const logon = async (partner: Partner = demo, practice = ods) =>
    json('InitializeWithID', {
      ClientId: partner.clientId,
      ClientSecret: partner.clientSecret,
      OrganisationId: practice,
    });
  const sessionId = async () => (await logon()).body.Result?.['SessionId'] as string;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
    unpaired = manifest.partners.find((p) => p.name === 'gpsim-unpaired') as Partner;
    ods = manifest.practices.find((p) => p.system === 'emis')?.ods as string;
    systmOneOds = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
    standard = manifest.archetypes.find((a) => a.ods === ods && a.key === 'standard')?.nhsNumber as string;
  });
  afterAll(() => gpsim.close());

  it('logs on with partner credentials (InitializeWithID) and returns a session expiring on the simulated clock', async () => {
    const { status, body } = await logon();
    expect(status).toBe(200);
    const result = emis.success(emis.SessionResult).parse(body).Result;
    expect(result.OrganisationId).toBe(ods);
    expect(Date.parse(result.ExpiresAt) - Date.parse(gpsim.engine.clock.nowDate().toISOString())).toBeGreaterThan(0);
  });

  it('speaks EMIS Open–style XML: logon and GetMedicalRecord with problems, medication, consultations and values', async () => {
    const post = async (method: string, xml: string) => {
      const response = await fetch(`${gpsim.url}/emis/partner-api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: xml,
      });
      return { status: response.status, xml: parseXml(await response.text()) };
    };
    const logged = await post(
      'InitializeWithID',
      `<InitializeWithID><ClientId>${demo.clientId}</ClientId><ClientSecret>${demo.clientSecret}</ClientSecret><OrganisationId>${ods}</OrganisationId></InitializeWithID>`,
    );
    expect(logged.xml.name).toBe('InitializeWithIDResponse');
    const session = find(logged.xml, 'Result', 'SessionId')?.text as string;
    const record = await post(
      'GetMedicalRecord',
      `<GetMedicalRecord><SessionId>${session}</SessionId><NhsNumber>${standard}</NhsNumber></GetMedicalRecord>`,
    );
    expect(record.status).toBe(200);
    expect(find(record.xml, 'Outcome')?.text).toBe('Success');
    expect(find(record.xml, 'Result', 'MedicalRecord', 'Registration', 'NhsNumber')?.text).toBe(standard);
    expect(findAll(record.xml, 'Problem').length).toBeGreaterThan(0);
    expect(findAll(record.xml, 'Consultation').length).toBeGreaterThan(0);
  });

  it('GetMatchedPatient finds by NHS number and the JSON record validates against the contract', async () => {
    const SessionId = await sessionId();
    const matched = await json('GetMatchedPatient', { SessionId, NhsNumber: standard });
    const patient = emis.MatchedPatient.parse(
      (matched.body.Result?.['MatchedPatients'] as { Patient: unknown[] }).Patient[0],
    );
    const record = await json('GetMedicalRecord', { SessionId, PatientId: patient.PatientId });
    emis.success(emis.MedicalRecord).parse({ ...record.body, Result: record.body.Result?.['MedicalRecord'] });
  });

  it('FileRecord writes a consultation that the UK Core R4 API shows, with the FileStatus follow-up and idempotency key', async () => {
    const SessionId = await sessionId();
    const patient = manifest.archetypes.find((a) => a.ods === ods && a.key === 'no-allergies')?.nhsNumber as string;
    const key = randomUUID();
    const filing = {
      SessionId,
      NhsNumber: patient,
      IdempotencyKey: key,
      Consultation: {
        Narrative: { Line: ['Partner app review', 'BP checked'] },
        Entries: {
          Entry: [{ Code: '38341003', Term: 'Hypertensive disorder', Type: 'Problem', Significance: 'Major' }],
        },
      },
    };
    const first = await json('FileRecord', filing);
    expect(first.body.Result).toMatchObject({ FileStatus: 'Accepted' });
    const again = await json('FileRecord', filing);
    expect(again.body.Result?.['FileRecordId']).toBe(first.body.Result?.['FileRecordId']);
    const status = await json('GetFileStatus', { SessionId, FileRecordId: first.body.Result?.['FileRecordId'] });
    const filed = emis.FileStatus.parse(status.body.Result);
    expect(filed.FileStatus).toBe('Filed');
    const problemId = filed.EntryIds?.Id[0] as string;

    const bundle = (await (
      await fetch(`${gpsim.url}/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${patient}`, {
        headers: bearer(await backendToken(gpsim.url)),
      })
    ).json()) as { entry: { resource: { id: string } }[] };
    const conditions = (await (
      await fetch(`${gpsim.url}/fhir/R4/Condition?patient=${bundle.entry[0]?.resource.id}`, {
        headers: bearer(await backendToken(gpsim.url)),
      })
    ).json()) as { entry: { resource: { id: string } }[] };
    expect(conditions.entry.filter((e) => e.resource.id === problemId)).toHaveLength(1);
  });

  it('CreateTask lands in the practice workflow once per idempotency key', async () => {
    const SessionId = await sessionId();
    const body = { SessionId, NhsNumber: standard, Title: 'Review discharge letter' };
    const key = randomUUID();
    const first = await json('CreateTask', body, { 'idempotency-key': key });
    const second = await json('CreateTask', body, { 'idempotency-key': key });
    expect(second.body.Result?.['TaskId']).toBe(first.body.Result?.['TaskId']);
    const task = await gpsim.engine.tasks.get(first.body.Result?.['TaskId'] as string);
    expect(task).toMatchObject({ ods, nhsNumber: standard, source: { surface: 'emis', sender: 'gpsim-demo' } });
  });

  describe('OAuth bearer tokens (the authorisation server, alongside legacy sessions)', () => {
    const partnerToken = async (partner: Partner = demo) => {
      const response = await fetch(`${gpsim.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs' }).toString(),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };

    it('accepts a token issued to the partner client in place of a SessionId, for the practice named by OrganisationId', async () => {
      const token = await partnerToken();
      const { status, body } = await json(
        'GetMedicalRecord',
        { OrganisationId: ods, NhsNumber: standard },
        bearer(token),
      );
      expect(status).toBe(200);
      expect(body.Outcome).toBe('Success');
    });

    it('refuses a token issued to a non-partner client with InvalidCredentials', async () => {
      const token = await backendToken(gpsim.url);
      const { status, body } = await json(
        'GetMedicalRecord',
        { OrganisationId: ods, NhsNumber: standard },
        bearer(token),
      );
      expect(status).toBe(401);
      expect(body.Error?.Code).toBe('InvalidCredentials');
    });

    it('refuses a token without OrganisationId, and the unpaired partner at a practice that has not activated it', async () => {
      const missing = await json('GetMedicalRecord', { NhsNumber: standard }, bearer(await partnerToken()));
      expect(missing.status).toBe(400);
      expect(missing.body.Error?.Code).toBe('InvalidParameter');
      const unpairedCall = await json(
        'GetMedicalRecord',
        { OrganisationId: ods, NhsNumber: standard },
        bearer(await partnerToken(unpaired)),
      );
      expect(unpairedCall.status).toBe(403);
      expect(unpairedCall.body.Error?.Code).toBe('PartnerNotActivated');
    });

    it('answers SessionExpired once the token expires on the simulated clock', async () => {
      const token = await partnerToken();
      await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT2H' }) });
      try {
        const { status, body } = await json(
          'GetMedicalRecord',
          { OrganisationId: ods, NhsNumber: standard },
          bearer(token),
        );
        expect(status).toBe(401);
        expect(body.Error?.Code).toBe('SessionExpired');
      } finally {
        await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ reset: true }) });
      }
    });

    it('a call with neither a SessionId nor a token is SessionInvalid', async () => {
      const { status, body } = await json('GetMedicalRecord', { OrganisationId: ods, NhsNumber: standard });
      expect(status).toBe(401);
      expect(body.Error?.Code).toBe('SessionInvalid');
    });
  });

  it('expires sessions on the simulated clock', async () => {
    const SessionId = await sessionId();
    await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT31M' }) });
    const expired = await json('GetMatchedPatient', { SessionId, NhsNumber: standard });
    await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ reset: true }) });
    expect(expired.status).toBe(401);
    expect(expired.body.Error?.Code).toBe('SessionExpired');
  });

  describe('errors', () => {
    it('InvalidCredentials for a wrong secret', async () => {
      const reply = await json('InitializeWithID', {
        ClientId: demo.clientId,
        ClientSecret: 'wrong',
        OrganisationId: ods,
      });
      expect(reply.status).toBe(401);
      expect(reply.body.Error?.Code).toBe('InvalidCredentials');
    });

    it('WrongClinicalSystem names SystmOne when logging on to a SystmOne practice', async () => {
      const reply = await logon(demo, systmOneOds);
      expect(reply.body.Error?.Code).toBe('WrongClinicalSystem');
      expect(reply.body.Error?.Description).toContain('SystmOne');
    });

    it('PartnerNotActivated for gpsim-unpaired, telling how to activate it', async () => {
      const reply = await logon(unpaired);
      expect(reply.status).toBe(403);
      expect(reply.body.Error?.Code).toBe('PartnerNotActivated');
      expect(reply.body.Error?.Description).toContain('EMAS Manager');
    });

    it('FeatureNotEnabled when the practice switches one feature off', async () => {
      const SessionId = await sessionId();
      const patch = (on: boolean) =>
        fetch(`${gpsim.url}/__sim/practices/${ods}`, {
          method: 'PATCH',
          body: JSON.stringify({ partners: { 'gpsim-demo': { functions: { GetMedicalRecord: on } } } }),
        });
      await patch(false);
      const reply = await json('GetMedicalRecord', { SessionId, NhsNumber: standard });
      await patch(true);
      expect(reply.body.Error?.Code).toBe('FeatureNotEnabled');
    });

    it('SessionInvalid, UnknownMethod, InvalidParameter and malformed XML answer 4xx in the EMIS dialect', async () => {
      expect((await json('GetMedicalRecord', { SessionId: 'nope', NhsNumber: standard })).body.Error?.Code).toBe(
        'SessionInvalid',
      );
      expect((await json('DropDatabase', {})).body.Error?.Code).toBe('UnknownMethod');
      expect((await json('GetMedicalRecord', { SessionId: await sessionId() })).body.Error?.Code).toBe(
        'InvalidParameter',
      );
      const malformed = await fetch(`${gpsim.url}/emis/partner-api/GetMedicalRecord`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<!DOCTYPE x [<!ENTITY a "b">]><GetMedicalRecord>&a;</GetMedicalRecord>',
      });
      expect(malformed.status).toBe(400);
      expect(find(parseXml(await malformed.text()), 'Error', 'Code')?.text).toBe('InvalidRequest');
    });

    it('UserNotAuthorised when a non-clinical EMIS user files a consultation', async () => {
      const receptionist = manifest.users.find((user) => user.ods === ods && user.role === 'receptionist');
      const logged = await json('InitializeWithID', {
        ClientId: demo.clientId,
        ClientSecret: demo.clientSecret,
        OrganisationId: ods,
        UserName: receptionist?.username,
      });
      const reply = await json('FileRecord', {
        SessionId: logged.body.Result?.['SessionId'],
        NhsNumber: standard,
        Consultation: { Narrative: { Line: ['Not a clinician'] } },
      });
      expect(reply.status).toBe(403);
      expect(reply.body.Error?.Code).toBe('UserNotAuthorised');
    });

    it('SensitiveRecord for an S-flag patient', async () => {
      const sensitive = manifest.archetypes.find((a) => a.ods === ods && a.key === 'sensitive')?.nhsNumber as string;
      const reply = await json('GetMedicalRecord', { SessionId: await sessionId(), NhsNumber: sensitive });
      expect(reply.body.Error?.Code).toBe('SensitiveRecord');
    });
  });
});
