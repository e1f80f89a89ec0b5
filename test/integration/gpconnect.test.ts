import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { Claims, GpcCall, GpcReply, ManifestPractice, Resource } from '../support/gpconnect';
import { INTERACTION, appointmentFor, gpcClient, jwtClaims, spineCode, unsignedJwt } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { parseXml } from '@gpsim/simulator/surfaces/shared/xml';
import { toStu3Xml } from '@gpsim/simulator/surfaces/gpconnect/stu3-xml';

/**
 * GP Connect provider behaviour, table-driven along the feature areas of the official provider
 * test suite (nhsconnect/gpconnect-provider-testing: SSP.feature, JWT.feature, HttpHeader.feature,
 * PatientFind.feature, AccessRecordStructured*.feature); each case names the spec rule it checks
 * (nhsconnect/gpconnect pages, as summarised in reference/domain.md §1).
 */

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const SPINE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1';

type Entry = { resource: Resource; fullUrl?: string };

function entries(reply: GpcReply): Resource[] {
  return ((reply.body['entry'] as Entry[] | undefined) ?? []).map((entry) => entry.resource);
}

function parameters(nhsNumber: string, ...rest: unknown[]) {
  return {
    resourceType: 'Parameters',
    parameter: [{ name: 'patientNHSNumber', valueIdentifier: { system: NHS, value: nhsNumber } }, ...rest],
  };
}

const allAreas = [
  { name: 'includeAllergies', part: [{ name: 'includeResolvedAllergies', valueBoolean: true }] },
  { name: 'includeMedication' },
  { name: 'includeImmunisations' },
  { name: 'includeUncategorisedData' },
  { name: 'includeInvestigations' },
  { name: 'includeReferrals' },
  { name: 'includeDiaryEntries' },
];

describe('GP Connect provider', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let practice: ManifestPractice;
  let gpc: (call: GpcCall) => Promise<GpcReply>;
  const archetype = (key: string) => {
    const found = manifest.archetypes.find((candidate) => candidate.key === key && candidate.ods === practice.ods);
    if (!found) throw new Error(`no ${key} archetype at ${practice.ods}`);
    return found;
  };
  const structured = (body: unknown, call: Partial<GpcCall> = {}) =>
    gpc({
      method: 'POST',
      root: 'structured',
      path: '/Patient/$gpc.getstructuredrecord',
      interaction: INTERACTION.getStructuredRecord,
      body,
      ...call,
    });
  const findPatient = (nhsNumber: string, call: Partial<GpcCall> = {}) =>
    gpc({
      path: `/Patient?identifier=${encodeURIComponent(`${NHS}|${nhsNumber}`)}`,
      interaction: INTERACTION.searchPatient,
      ...call,
    });
  const patch = async (ods: string, body: unknown) => {
    const response = await fetch(`${gpsim.url}/__sim/practices/${ods}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    practice = manifest.practices[0] as ManifestPractice;
    gpc = gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
  });
  afterAll(() => gpsim.close());

  describe('SSP headers (SSP.feature; GPC development_api_security_guidance.md → 400 BAD_REQUEST)', () => {
    const headerCases: [string, Record<string, string | undefined>][] = [
      ['Ssp-TraceID missing', { 'Ssp-TraceID': undefined }],
      ['Ssp-From missing', { 'Ssp-From': undefined }],
      ['Ssp-To missing', { 'Ssp-To': undefined }],
      ['Ssp-InteractionID missing', { 'Ssp-InteractionID': undefined }],
      ['Ssp-TraceID blank', { 'Ssp-TraceID': ' ' }],
      ['Ssp-To not the practice ASID', { 'Ssp-To': '999999999999' }],
      [
        'Ssp-InteractionID unknown',
        { 'Ssp-InteractionID': 'urn:nhs:names:services:gpconnect:fhir:rest:read:nothing-1' },
      ],
      ['Ssp-InteractionID of another verb and path', { 'Ssp-InteractionID': INTERACTION.readPatient }],
      ['Ssp-InteractionID of the structured metadata', { 'Ssp-InteractionID': INTERACTION.structuredMetadata }],
    ];
    it.each(headerCases)('answers 400 BAD_REQUEST when %s', async (_name, headers) => {
      const reply = await findPatient(archetype('standard').nhsNumber, { headers });
      expect(reply.status).toBe(400);
      expect(spineCode(reply)).toBe('BAD_REQUEST');
    });

    it('reads header names case-insensitively (the test suite sends Ssp-InteractionId)', async () => {
      const reply = await findPatient(archetype('standard').nhsNumber, {
        headers: { 'Ssp-InteractionID': undefined, 'ssp-interactionid': INTERACTION.searchPatient },
      });
      expect(reply.status).toBe(200);
    });

    it('answers 404 ORGANISATION_NOT_FOUND for an ODS code outside the estate', async () => {
      const response = await fetch(`${gpsim.url}/ZZZ999/STU3/1/gpconnect/metadata`, {
        headers: { 'Ssp-InteractionID': INTERACTION.metadata },
      });
      const body = (await response.json()) as Record<string, unknown>;
      expect(response.status).toBe(404);
      expect(spineCode({ body })).toBe('ORGANISATION_NOT_FOUND');
    });
  });

  describe('audit JWT (JWT.feature; GPC integration_cross_organisation_audit_and_provenance.md)', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const without = (claim: string) => (claims: Claims) => {
      delete claims[claim];
      return claims;
    };
    const set = (claim: string, value: unknown) => (claims: Claims) => ({ ...claims, [claim]: value });
    const timed = (iat: number, exp: number) => (claims: Claims) => ({ ...claims, iat, exp });
    // iat and exp from one reading of the clock: two readings can straddle a second and turn 299 into 300.
    const lifetime = (iatOffset: number, seconds: number) => (claims: Claims) => {
      const iat = now() + iatOffset;
      return timed(iat, iat + seconds)(claims);
    };
    const jwtCases: [string, (claims: Claims) => Claims, number, string | undefined][] = [
      ['iss missing', without('iss'), 400, 'BAD_REQUEST'],
      ['sub missing', without('sub'), 400, 'BAD_REQUEST'],
      ['aud missing', without('aud'), 400, 'BAD_REQUEST'],
      ['exp missing', without('exp'), 400, 'BAD_REQUEST'],
      ['iat missing', without('iat'), 400, 'BAD_REQUEST'],
      ['reason_for_request missing', without('reason_for_request'), 400, 'BAD_REQUEST'],
      ['requested_scope missing', without('requested_scope'), 400, 'BAD_REQUEST'],
      ['requesting_device missing', without('requesting_device'), 400, 'BAD_REQUEST'],
      ['requesting_organization missing', without('requesting_organization'), 400, 'BAD_REQUEST'],
      ['requesting_practitioner missing', without('requesting_practitioner'), 400, 'BAD_REQUEST'],
      ['exp = iat + 301', lifetime(0, 301), 400, 'BAD_REQUEST'],
      ['exp = iat + 299', lifetime(0, 299), 400, 'BAD_REQUEST'],
      ['exp before iat', lifetime(0, -300), 400, 'BAD_REQUEST'],
      ['consumer clock 600 s slow (expired)', lifetime(-600, 300), 400, 'BAD_REQUEST'],
      ['iat 200 s in the future (GitHub #188: accepted)', lifetime(200, 300), 200, undefined],
      [
        'reason_for_request "migration" on a direct-care interaction',
        set('reason_for_request', 'migration'),
        400,
        'BAD_REQUEST',
      ],
      ['reason_for_request unknown', set('reason_for_request', 'curiosity'), 400, 'BAD_REQUEST'],
      ['requested_scope not a GP Connect scope', set('requested_scope', 'patient/*.delete'), 400, 'BAD_REQUEST'],
      ['write scope on a read interaction', set('requested_scope', 'patient/*.write'), 400, 'BAD_REQUEST'],
      [
        'organization scope on a patient interaction',
        set('requested_scope', 'organization/*.read'),
        400,
        'BAD_REQUEST',
      ],
      ['scope with conf/N suffix', set('requested_scope', 'patient/*.read conf/N'), 200, undefined],
      ['retired requested_record claim', set('requested_record', { resourceType: 'Patient' }), 400, 'BAD_REQUEST'],
      [
        'requesting_device of the wrong resourceType',
        (c) => ({ ...c, requesting_device: { ...(c['requesting_device'] as object), resourceType: 'Patient' } }),
        422,
        'INVALID_RESOURCE',
      ],
      ['requesting_device not a resource', set('requesting_device', 'CONS-APP-4'), 422, 'INVALID_RESOURCE'],
      [
        'requesting_organization of the wrong resourceType',
        (c) => ({
          ...c,
          requesting_organization: { ...(c['requesting_organization'] as object), resourceType: 'Device' },
        }),
        422,
        'INVALID_RESOURCE',
      ],
      [
        'requesting_practitioner of the wrong resourceType',
        (c) => ({
          ...c,
          requesting_practitioner: { ...(c['requesting_practitioner'] as object), resourceType: 'Person' },
        }),
        422,
        'INVALID_RESOURCE',
      ],
      [
        'requesting_practitioner.identifier not an array',
        (c) => ({ ...c, requesting_practitioner: { ...(c['requesting_practitioner'] as object), identifier: {} } }),
        422,
        'INVALID_RESOURCE',
      ],
      ['sub different from requesting_practitioner.id', set('sub', '99999'), 400, 'BAD_REQUEST'],
      [
        'requesting_practitioner without a name',
        (c) => ({ ...c, requesting_practitioner: { ...(c['requesting_practitioner'] as object), name: [] } }),
        400,
        'BAD_REQUEST',
      ],
      [
        'requesting_practitioner with SDS user id UNK',
        (c) => ({
          ...c,
          requesting_practitioner: {
            ...(c['requesting_practitioner'] as object),
            identifier: [{ system: 'https://fhir.nhs.uk/Id/sds-user-id', value: 'UNK' }],
          },
        }),
        200,
        undefined,
      ],
      [
        'requesting_organization without the ODS identifier',
        (c) => ({ ...c, requesting_organization: { resourceType: 'Organization', name: 'Test Hospital' } }),
        400,
        'BAD_REQUEST',
      ],
      [
        'requesting_device without model',
        (c) => ({ ...c, requesting_device: { ...(c['requesting_device'] as object), model: undefined } }),
        400,
        'BAD_REQUEST',
      ],
      ['exp as a string', set('exp', String(now() + 300)), 400, 'BAD_REQUEST'],
    ];
    it.each(jwtCases)('%s → %i', async (_name, mutate, status, code) => {
      const reply = await findPatient(archetype('standard').nhsNumber, { claims: mutate(jwtClaims('patient/*.read')) });
      expect(reply.status).toBe(status);
      if (code !== undefined) expect(spineCode(reply)).toBe(code);
    });

    const tokenCases: [string, string | undefined][] = [
      ['no Authorization header', undefined],
      ['a Basic credential', 'Basic dXNlcjpwYXNz'],
      ['Bearer without a token', 'Bearer '],
      ['a token that is not a JWT', 'Bearer not-a-jwt'],
      ['a token with padding', `Bearer ${unsignedJwt(jwtClaims('patient/*.read')).replace('.', '=.')}`],
      ['a signed token', `Bearer ${unsignedJwt(jwtClaims('patient/*.read'))}c2lnbmF0dXJl`],
      ['a token without the trailing dot', `Bearer ${unsignedJwt(jwtClaims('patient/*.read')).slice(0, -1)}`],
      ['alg HS256', `Bearer ${unsignedJwt(jwtClaims('patient/*.read'), { alg: 'HS256', typ: 'JWT' })}`],
      [
        'an extra header field',
        `Bearer ${unsignedJwt(jwtClaims('patient/*.read'), { alg: 'none', typ: 'JWT', kid: '1' })}`,
      ],
    ];
    it.each(tokenCases)('answers 400 BAD_REQUEST for %s', async (_name, authorization) => {
      const reply = await findPatient(archetype('standard').nhsNumber, { headers: { Authorization: authorization } });
      expect(reply.status).toBe(400);
      expect(spineCode(reply)).toBe('BAD_REQUEST');
    });

    it('rejects the metadata interaction with a patient scope (JWT.feature: incorrect scope for metadata)', async () => {
      const reply = await gpc({ path: '/metadata', interaction: INTERACTION.metadata, scope: 'patient/*.read' });
      expect(reply.status).toBe(400);
    });
  });

  describe('HTTP rules (HttpHeader.feature; GPC development_general_api_guidance.md)', () => {
    const formatCases: [string, Partial<GpcCall>, number][] = [
      ['_format=application/fhir+json', { path: '/metadata?_format=application%2Ffhir%2Bjson' }, 200],
      ['_format=json', { path: '/metadata?_format=json' }, 200],
      [
        '_format=application/fhir+xml (XML SHOULD be served)',
        { path: '/metadata?_format=application%2Ffhir%2Bxml' },
        200,
      ],
      ['_format=xml', { path: '/metadata?_format=xml' }, 200],
      ['Accept application/fhir+xml', { headers: { Accept: 'application/fhir+xml' } }, 200],
      ['Accept application/xml+fhir (STU3 legacy type)', { headers: { Accept: 'application/xml+fhir' } }, 200],
      ['_format=text/plain', { path: '/metadata?_format=text%2Fplain' }, 415],
      ['Accept text/html', { headers: { Accept: 'text/html' } }, 415],
      [
        '_format json overriding Accept xml',
        { path: '/metadata?_format=json', headers: { Accept: 'application/fhir+xml' } },
        200,
      ],
      ['no Accept at all (JSON by default)', { headers: { Accept: undefined } }, 200],
      ['Accept */*', { headers: { Accept: '*/*' } }, 200],
    ];
    it.each(formatCases)('content negotiation: %s → %i', async (_name, call, status) => {
      const reply = await gpc({
        path: '/metadata',
        interaction: INTERACTION.metadata,
        scope: 'organization/*.read',
        ...call,
      });
      expect(reply.status).toBe(status);
    });

    it('serves the CapabilityStatement as application/fhir+xml and lists both formats (domain.md §1.2, §1.6)', async () => {
      const reply = await gpc({
        path: '/metadata?_format=application%2Ffhir%2Bxml',
        interaction: INTERACTION.metadata,
        scope: 'organization/*.read',
      });
      expect(reply.headers.get('content-type')).toBe('application/fhir+xml;charset=utf-8');
      const root = parseXml(reply.text);
      expect(root.name).toBe('CapabilityStatement');
      expect(root.attributes['xmlns']).toBe('http://hl7.org/fhir');
      const formats = root.children.filter((element) => element.name === 'format');
      expect(formats.map((element) => element.attributes['value'])).toEqual([
        'application/fhir+json',
        'application/fhir+xml',
      ]);
    });

    it('answers a structured record in XML when Accept asks for it, gzipped as JSON would be', async () => {
      const reply = await structured(parameters(archetype('standard').nhsNumber, ...allAreas), {
        headers: { Accept: 'application/fhir+xml', 'Accept-Encoding': 'gzip' },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/fhir+xml;charset=utf-8');
      const bundle = parseXml(reply.text, { maxBytes: 64 * 1024 * 1024, maxDepth: 64, maxElements: 2_000_000 });
      expect(bundle.name).toBe('Bundle');
      const types = bundle.children
        .filter((element) => element.name === 'entry')
        .map((entry) => entry.children.find((element) => element.name === 'resource')?.children[0]?.name);
      expect(types).toContain('Patient');
      expect(types).toContain('List');
    });

    it('answers errors in the negotiated format too (OperationOutcome as XML)', async () => {
      const reply = await structured(parameters('123'), { headers: { Accept: 'application/fhir+xml' } });
      expect(reply.status).toBe(400);
      expect(parseXml(reply.text).name).toBe('OperationOutcome');
    });

    it('reads an XML Parameters body as its JSON form: the same record either way (domain.md §1.2)', async () => {
      const query = parameters(archetype('standard').nhsNumber, ...allAreas);
      const byJson = await structured(query);
      const byXml = await structured(toStu3Xml(query), {
        headers: { 'Content-Type': 'application/fhir+xml;charset=utf-8', Accept: 'application/fhir+json' },
      });
      expect(byXml.status).toBe(200);
      expect(entries(byXml).map((resource) => resource.id)).toEqual(entries(byJson).map((resource) => resource.id));
    });

    it('answers 422 INVALID_RESOURCE for an XML body outside the FHIR namespace', async () => {
      const reply = await structured('<Parameters xmlns="urn:other"/>', {
        headers: { 'Content-Type': 'application/fhir+xml;charset=utf-8', Accept: 'application/fhir+json' },
      });
      expect(reply.status).toBe(422);
      expect(spineCode(reply)).toBe('INVALID_RESOURCE');
    });

    it('answers 415 for a POST without Content-Type', async () => {
      const reply = await structured(JSON.stringify(parameters(archetype('standard').nhsNumber, ...allAreas)), {
        headers: { 'Content-Type': undefined },
      });
      expect(reply.status).toBe(415);
    });

    it('sends Cache-Control: no-store, fhir+json with charset, and a weak ETag of meta.versionId on reads', async () => {
      const find = await findPatient(archetype('standard').nhsNumber);
      const patient = entries(find)[0] as Resource;
      const reply = await gpc({ path: `/Patient/${patient.id ?? ''}`, interaction: INTERACTION.readPatient });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('content-type')).toBe('application/fhir+json;charset=utf-8');
      expect(reply.headers.get('etag')).toBe(`W/"${(reply.body['meta'] as { versionId: string }).versionId}"`);
    });

    it('compresses with gzip when asked (Accept-Encoding: gzip)', async () => {
      const reply = await gpc({
        path: '/metadata',
        interaction: INTERACTION.metadata,
        scope: 'organization/*.read',
        headers: { 'Accept-Encoding': 'gzip' },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-encoding')).toBe('gzip');
      expect(reply.body['resourceType']).toBe('CapabilityStatement');
    });

    it('renders errors as GPConnect-OperationOutcome-1 with the Spine-ErrorOrWarningCode-1 system', async () => {
      const reply = await findPatient('1234567890');
      expect(reply.body).toMatchObject({
        resourceType: 'OperationOutcome',
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1'] },
        issue: [
          {
            severity: 'error',
            code: 'value',
            details: { coding: [{ system: SPINE_SYSTEM, code: 'INVALID_NHS_NUMBER' }] },
          },
        ],
      });
    });
  });

  describe('capability statements (FHIR.feature; GPC get_capability_statement_response_example.json)', () => {
    const metadataCases: [string, 'gpconnect' | 'structured' | 'documents', string][] = [
      ['Foundations', 'gpconnect', INTERACTION.metadata],
      ['Structured', 'structured', INTERACTION.structuredMetadata],
      ['Documents', 'documents', INTERACTION.documentsMetadata],
    ];
    it.each(metadataCases)(
      '%s answers a CapabilityStatement with software and fhirVersion 3.0.1',
      async (_name, root, interaction) => {
        const reply = await gpc({ root, path: '/metadata', interaction, scope: 'organization/*.read' });
        expect(reply.status).toBe(200);
        expect(reply.body).toMatchObject({
          resourceType: 'CapabilityStatement',
          fhirVersion: '3.0.1',
          acceptUnknown: 'both',
        });
        expect((reply.body['software'] as { name: string }).name).toMatch(/SystmOne|EMIS/);
      },
    );

    it('names different software for SystmOne and EMIS practices', async () => {
      const names = new Set<string>();
      for (const system of ['systmone', 'emis'] as const) {
        const other = manifest.practices.find((candidate) => candidate.system === system) as ManifestPractice;
        const client = gpcClient(other, (manifest.consumers[0] as { asid: string }).asid);
        const reply = await client({
          path: '/metadata',
          interaction: INTERACTION.metadata,
          scope: 'organization/*.read',
        });
        names.add((reply.body['software'] as { name: string }).name);
      }
      expect(names.size).toBe(2);
    });
  });

  describe('find and read patient (PatientFind.feature; GPC foundations_use_case_find_a_patient.md)', () => {
    it('finds the standard patient as one CareConnect-GPC-Patient-1 in a searchset', async () => {
      const reply = await findPatient(archetype('standard').nhsNumber);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      const [patient] = entries(reply);
      expect(patient).toMatchObject({
        resourceType: 'Patient',
        meta: { versionId: '1', profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1'] },
        identifier: [{ system: NHS, value: archetype('standard').nhsNumber }],
        name: [{ use: 'official' }],
        birthDate: archetype('standard').birthDate,
      });
      const urls = ((patient?.['extension'] as { url: string }[]) ?? []).map((extension) => extension.url);
      expect(urls).toEqual(
        expect.arrayContaining([
          'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1',
          'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSCommunication-1',
        ]),
      );
    });

    it.each([
      'ethnicCategory',
      'religiousAffiliation',
      'maritalStatus',
      'multipleBirthBoolean',
      'birthPlace',
      'deceasedDateTime',
    ])('never populates the MUST NOT element %s', async (element) => {
      const [patient] = entries(await findPatient(archetype('standard').nhsNumber));
      expect(patient).toBeDefined();
      expect(JSON.stringify(patient)).not.toContain(element);
    });

    it.each(['sensitive', 'deceased', 'inactive', 'unverified'])(
      'returns an empty searchset (not an error) for the %s archetype',
      async (key) => {
        const reply = await findPatient(archetype(key).nhsNumber);
        expect(reply.status).toBe(200);
        expect(reply.body['total']).toBe(0);
      },
    );

    it('returns an empty searchset for a valid NHS number nobody has', async () => {
      const reply = await findPatient('9000000009');
      expect(reply.status).toBe(200);
      expect(reply.body['total']).toBe(0);
    });

    it('returns an empty searchset for a patient of another practice', async () => {
      const other = manifest.archetypes.find(
        (candidate) => candidate.key === 'standard' && candidate.ods !== practice.ods,
      );
      const reply = await findPatient(other?.nhsNumber ?? '');
      expect(reply.body['total']).toBe(0);
    });

    const badSearches: [string, string, number, string][] = [
      [
        'an unknown identifier system',
        `/Patient?identifier=${encodeURIComponent('https://example.org/id|9000000009')}`,
        400,
        'INVALID_IDENTIFIER_SYSTEM',
      ],
      ['no identifier system', '/Patient?identifier=9000000009', 400, 'INVALID_IDENTIFIER_SYSTEM'],
      [
        'a failing Mod 11 check digit',
        `/Patient?identifier=${encodeURIComponent(`${NHS}|9000000001`)}`,
        400,
        'INVALID_NHS_NUMBER',
      ],
      ['nine digits', `/Patient?identifier=${encodeURIComponent(`${NHS}|900000000`)}`, 400, 'INVALID_NHS_NUMBER'],
      ['letters', `/Patient?identifier=${encodeURIComponent(`${NHS}|90000000AB`)}`, 400, 'INVALID_NHS_NUMBER'],
      ['no identifier parameter', '/Patient', 400, 'BAD_REQUEST'],
      [
        'the identifier twice',
        `/Patient?identifier=${encodeURIComponent(`${NHS}|9000000009`)}&identifier=${encodeURIComponent(`${NHS}|9000000009`)}`,
        400,
        'BAD_REQUEST',
      ],
    ];
    it.each(badSearches)('answers %s with %i %s', async (_name, path, status, code) => {
      const reply = await gpc({ path, interaction: INTERACTION.searchPatient });
      expect(reply.status).toBe(status);
      expect(spineCode(reply)).toBe(code);
    });

    it('answers 404 PATIENT_NOT_FOUND when reading an unknown patient id', async () => {
      const reply = await gpc({
        path: '/Patient/00000000-0000-4000-8000-000000000000',
        interaction: INTERACTION.readPatient,
      });
      expect(reply.status).toBe(404);
      expect(spineCode(reply)).toBe('PATIENT_NOT_FOUND');
    });

    it('audits a find with who (from the JWT), which patient and which interaction', async () => {
      const nhsNumber = archetype('standard').nhsNumber;
      await findPatient(nhsNumber);
      const audit = (await (
        await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${nhsNumber}&surface=gpconnect`)
      ).json()) as {
        events: { action: string; user?: string; organisation?: string }[];
      };
      expect(audit.events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: 'searchPatient',
            user: 'Claire Jones (111222333444)',
            organisation: 'A1001',
          }),
        ]),
      );
    });
  });

  describe('practitioner, organisation and location (GPC foundations use cases)', () => {
    it('finds a practitioner by SDS user id and reads them back', async () => {
      const user = manifest.users.find(
        (candidate) => candidate.ods === practice.ods,
      ) as control.Manifest['users'][number];
      const find = await gpc({
        path: `/Practitioner?identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/sds-user-id|${user.sdsUserId}`)}`,
        interaction: INTERACTION.searchPractitioner,
        scope: 'organization/*.read',
      });
      expect(find.status).toBe(200);
      const [practitioner] = entries(find);
      expect(practitioner?.resourceType).toBe('Practitioner');
      const read = await gpc({
        path: `/Practitioner/${practitioner?.id ?? ''}`,
        interaction: INTERACTION.readPractitioner,
        scope: 'organization/*.read',
      });
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('W/"1"');
    });

    it('finds the practice by ODS code (current and legacy systems) and reads it back', async () => {
      for (const system of [
        'https://fhir.nhs.uk/Id/ods-organization-code',
        'http://fhir.nhs.net/Id/ods-organization-code',
      ]) {
        const find = await gpc({
          path: `/Organization?identifier=${encodeURIComponent(`${system}|${practice.ods}`)}`,
          interaction: INTERACTION.searchOrganization,
          scope: 'organization/*.read',
        });
        expect(find.body['total']).toBe(1);
        const [organization] = entries(find);
        const read = await gpc({
          path: `/Organization/${organization?.id ?? ''}`,
          interaction: INTERACTION.readOrganization,
          scope: 'organization/*.read',
        });
        expect(read.body).toMatchObject({ resourceType: 'Organization', identifier: [{ value: practice.ods }] });
      }
    });

    it('reads a location of the practice', async () => {
      const location = practice.locations[0] as { id: string };
      const reply = await gpc({
        path: `/Location/${location.id}`,
        interaction: INTERACTION.readLocation,
        scope: 'organization/*.read',
      });
      expect(reply.status).toBe(200);
      expect(reply.body['resourceType']).toBe('Location');
    });

    const misses: [string, string, string, string][] = [
      [
        'practitioner',
        '/Practitioner/00000000-0000-4000-8000-000000000000',
        INTERACTION.readPractitioner,
        'PRACTITIONER_NOT_FOUND',
      ],
      [
        'organisation',
        '/Organization/00000000-0000-4000-8000-000000000000',
        INTERACTION.readOrganization,
        'NO_RECORD_FOUND',
      ],
      ['location', '/Location/00000000-0000-4000-8000-000000000000', INTERACTION.readLocation, 'NO_RECORD_FOUND'],
    ];
    it.each(misses)('answers 404 for an unknown %s', async (_name, path, interaction, code) => {
      const reply = await gpc({ path, interaction, scope: 'organization/*.read' });
      expect(reply.status).toBe(404);
      expect(spineCode(reply)).toBe(code);
    });

    it('answers 400 INVALID_IDENTIFIER_SYSTEM for a practitioner search by another system', async () => {
      const reply = await gpc({
        path: `/Practitioner?identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000009')}`,
        interaction: INTERACTION.searchPractitioner,
        scope: 'organization/*.read',
      });
      expect(reply.status).toBe(400);
      expect(spineCode(reply)).toBe('INVALID_IDENTIFIER_SYSTEM');
    });
  });

  describe('structured record parameters (AccessRecordStructured*.feature; GPC retrieve_patient_record.md error table)', () => {
    const n = () => archetype('standard').nhsNumber;
    const paramCases: [string, () => unknown, number, string, string | null][] = [
      ['a body that is not JSON', () => 'not json', 422, 'INVALID_RESOURCE', null],
      ['a Patient instead of Parameters', () => ({ resourceType: 'Patient' }), 422, 'INVALID_RESOURCE', null],
      ['Parameters without a parameter array', () => ({ resourceType: 'Parameters' }), 422, 'INVALID_RESOURCE', null],
      [
        'a parameter without a name',
        () => ({ resourceType: 'Parameters', parameter: [{ valueBoolean: true }] }),
        422,
        'INVALID_RESOURCE',
        null,
      ],
      [
        'patientNHSNumber missing',
        () => ({ resourceType: 'Parameters', parameter: [{ name: 'includeMedication' }] }),
        422,
        'INVALID_PARAMETER',
        'patientNHSNumber',
      ],
      ['no clinical area asked for', () => parameters(n()), 422, 'INVALID_PARAMETER', null],
      [
        'patientNHSNumber twice',
        () => ({
          resourceType: 'Parameters',
          parameter: [...parameters(n()).parameter, ...parameters(n()).parameter, { name: 'includeMedication' }],
        }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'an NHS number failing Mod 11',
        () => parameters('9000000001', { name: 'includeMedication' }),
        400,
        'INVALID_NHS_NUMBER',
        null,
      ],
      [
        'an NHS number of 11 digits',
        () => parameters('90000000090', { name: 'includeMedication' }),
        400,
        'INVALID_NHS_NUMBER',
        null,
      ],
      [
        'another identifier system',
        () => ({
          resourceType: 'Parameters',
          parameter: [
            { name: 'patientNHSNumber', valueIdentifier: { system: 'https://example.org', value: n() } },
            { name: 'includeMedication' },
          ],
        }),
        400,
        'INVALID_IDENTIFIER_SYSTEM',
        null,
      ],
      [
        'includeAllergies without includeResolvedAllergies',
        () => parameters(n(), { name: 'includeAllergies' }),
        422,
        'INVALID_PARAMETER',
        'includeResolvedAllergies',
      ],
      [
        'includeResolvedAllergies without a value',
        () => parameters(n(), { name: 'includeAllergies', part: [{ name: 'includeResolvedAllergies' }] }),
        422,
        'INVALID_PARAMETER',
        'includeResolvedAllergies',
      ],
      [
        'includeResolvedAllergies as a string',
        () =>
          parameters(n(), {
            name: 'includeAllergies',
            part: [{ name: 'includeResolvedAllergies', valueString: 'true' }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeMedication twice',
        () => parameters(n(), { name: 'includeMedication' }, { name: 'includeMedication' }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'medicationSearchFromDate in the future',
        () =>
          parameters(n(), {
            name: 'includeMedication',
            part: [{ name: 'medicationSearchFromDate', valueDate: '2999-01-01' }],
          }),
        422,
        'INVALID_PARAMETER',
        'medicationSearchFromDate',
      ],
      [
        'medicationSearchFromDate partial (year)',
        () =>
          parameters(n(), {
            name: 'includeMedication',
            part: [{ name: 'medicationSearchFromDate', valueDate: '2019' }],
          }),
        422,
        'INVALID_PARAMETER',
        'medicationSearchFromDate',
      ],
      [
        'medicationSearchFromDate partial (month)',
        () =>
          parameters(n(), {
            name: 'includeMedication',
            part: [{ name: 'medicationSearchFromDate', valueDate: '2019-03' }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'medicationSearchFromDate with a time',
        () =>
          parameters(n(), {
            name: 'includeMedication',
            part: [{ name: 'medicationSearchFromDate', valueDate: '2019-03-01T10:00:00+00:00' }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'medicationSearchFromDate not a date',
        () =>
          parameters(n(), {
            name: 'includeMedication',
            part: [{ name: 'medicationSearchFromDate', valueDate: '2019-13-45' }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includePrescriptionIssues as a code',
        () =>
          parameters(n(), {
            name: 'includeMedication',
            part: [{ name: 'includePrescriptionIssues', valueCode: 'true' }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'consultationSearchPeriod with includeNumberOfMostRecent',
        () =>
          parameters(n(), {
            name: 'includeConsultations',
            part: [
              { name: 'consultationSearchPeriod', valuePeriod: { start: '2015-01-01', end: '2016-01-01' } },
              { name: 'includeNumberOfMostRecent', valuePositiveInt: 3 },
            ],
          }),
        422,
        'INVALID_RESOURCE',
        null,
      ],
      [
        'consultationSearchPeriod start after end',
        () =>
          parameters(n(), {
            name: 'includeConsultations',
            part: [{ name: 'consultationSearchPeriod', valuePeriod: { start: '2016-01-01', end: '2015-01-01' } }],
          }),
        422,
        'INVALID_PARAMETER',
        'consultationSearchPeriod',
      ],
      [
        'consultationSearchPeriod end in the future',
        () =>
          parameters(n(), {
            name: 'includeConsultations',
            part: [{ name: 'consultationSearchPeriod', valuePeriod: { start: '2016-01-01', end: '2999-01-01' } }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'consultationSearchPeriod empty',
        () =>
          parameters(n(), {
            name: 'includeConsultations',
            part: [{ name: 'consultationSearchPeriod', valuePeriod: {} }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeNumberOfMostRecent zero',
        () =>
          parameters(n(), {
            name: 'includeConsultations',
            part: [{ name: 'includeNumberOfMostRecent', valuePositiveInt: 0 }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeNumberOfMostRecent fractional',
        () =>
          parameters(n(), {
            name: 'includeConsultations',
            part: [{ name: 'includeNumberOfMostRecent', valuePositiveInt: 1.5 }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'filterStatus "resolved"',
        () => parameters(n(), { name: 'includeProblems', part: [{ name: 'filterStatus', valueCode: 'resolved' }] }),
        422,
        'INVALID_PARAMETER',
        'filterStatus',
      ],
      [
        'includeConsultations with medicationSearchFromDate',
        () =>
          parameters(
            n(),
            { name: 'includeConsultations' },
            { name: 'includeMedication', part: [{ name: 'medicationSearchFromDate', valueDate: '2015-01-01' }] },
          ),
        422,
        'INVALID_PARAMETER',
        'medicationSearchFromDate',
      ],
      [
        'includeConsultations with uncategorisedDataSearchPeriod',
        () =>
          parameters(
            n(),
            { name: 'includeConsultations' },
            {
              name: 'includeUncategorisedData',
              part: [{ name: 'uncategorisedDataSearchPeriod', valuePeriod: { start: '2015-01-01' } }],
            },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeConsultations with filterStatus',
        () =>
          parameters(
            n(),
            { name: 'includeConsultations' },
            { name: 'includeProblems', part: [{ name: 'filterStatus', valueCode: 'active' }] },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeConsultations with referralSearchPeriod',
        () =>
          parameters(
            n(),
            { name: 'includeConsultations' },
            {
              name: 'includeReferrals',
              part: [{ name: 'referralSearchPeriod', valuePeriod: { start: '2015-01-01' } }],
            },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeConsultations with includeNotGiven',
        () =>
          parameters(
            n(),
            { name: 'includeConsultations' },
            { name: 'includeImmunisations', part: [{ name: 'includeNotGiven', valueBoolean: true }] },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeConsultations with includeStatus',
        () =>
          parameters(
            n(),
            { name: 'includeConsultations' },
            { name: 'includeImmunisations', part: [{ name: 'includeStatus', valueBoolean: true }] },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeProblems with medicationSearchFromDate',
        () =>
          parameters(
            n(),
            { name: 'includeProblems' },
            { name: 'includeMedication', part: [{ name: 'medicationSearchFromDate', valueDate: '2015-01-01' }] },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'includeProblems with includeNotGiven',
        () =>
          parameters(
            n(),
            { name: 'includeProblems' },
            { name: 'includeImmunisations', part: [{ name: 'includeNotGiven', valueBoolean: false }] },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'diaryEntriesSearchDate in the past',
        () =>
          parameters(n(), {
            name: 'includeDiaryEntries',
            part: [{ name: 'diaryEntriesSearchDate', valueDate: '2000-01-01' }],
          }),
        422,
        'INVALID_PARAMETER',
        'diaryEntriesSearchDate',
      ],
      [
        'investigationSearchPeriod with a partial start',
        () =>
          parameters(n(), {
            name: 'includeInvestigations',
            part: [{ name: 'investigationSearchPeriod', valuePeriod: { start: '2015' } }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'referralSearchPeriod start after end',
        () =>
          parameters(n(), {
            name: 'includeReferrals',
            part: [{ name: 'referralSearchPeriod', valuePeriod: { start: '2016-01-01', end: '2015-01-01' } }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        'uncategorisedDataSearchPeriod with a time',
        () =>
          parameters(n(), {
            name: 'includeUncategorisedData',
            part: [{ name: 'uncategorisedDataSearchPeriod', valuePeriod: { start: '2015-01-01T00:00:00+00:00' } }],
          }),
        422,
        'INVALID_PARAMETER',
        null,
      ],
      [
        "the spec's own full example (it breaks its combination rules)",
        () =>
          parameters(
            n(),
            {
              name: 'includeConsultations',
              part: [
                { name: 'consultationSearchPeriod', valuePeriod: { start: '2017-12-25', end: '2018-12-25' } },
                { name: 'includeNumberOfMostRecent', valuePositiveInt: 3 },
              ],
            },
            { name: 'includeMedication', part: [{ name: 'medicationSearchFromDate', valueDate: '2017-06-04' }] },
          ),
        422,
        'INVALID_PARAMETER',
        null,
      ],
    ];
    it.each(paramCases)('answers %s with %i %s', async (_name, body, status, code, field) => {
      const reply = await structured(body());
      expect(reply.status).toBe(status);
      expect(spineCode(reply)).toBe(code);
      if (field !== null) {
        const issue = (reply.body['issue'] as { diagnostics: string }[])[0];
        expect(issue?.diagnostics).toContain(field);
      }
    });

    const accepted: [string, () => unknown][] = [
      ['a parameter with no parts (includeProblems)', () => parameters(n(), { name: 'includeProblems' })],
      [
        'includeConsultations with includeNumberOfMostRecent',
        () =>
          parameters(n(), {
            name: 'includeConsultations',
            part: [{ name: 'includeNumberOfMostRecent', valuePositiveInt: 3 }],
          }),
      ],
      [
        'includeProblems with filterStatus inactive',
        () => parameters(n(), { name: 'includeProblems', part: [{ name: 'filterStatus', valueCode: 'inactive' }] }),
      ],
      [
        'a period with only a start',
        () =>
          parameters(n(), {
            name: 'includeReferrals',
            part: [{ name: 'referralSearchPeriod', valuePeriod: { start: '2010-01-01' } }],
          }),
      ],
      [
        'a period with only an end',
        () =>
          parameters(n(), {
            name: 'includeInvestigations',
            part: [{ name: 'investigationSearchPeriod', valuePeriod: { end: '2020-01-01' } }],
          }),
      ],
      [
        'diaryEntriesSearchDate far in the future',
        () =>
          parameters(n(), {
            name: 'includeDiaryEntries',
            part: [{ name: 'diaryEntriesSearchDate', valueDate: '2999-01-01' }],
          }),
      ],
      ['every area but consultations and problems', () => parameters(n(), ...allAreas)],
    ];
    it.each(accepted)('accepts %s', async (_name, body) => {
      const reply = await structured(body());
      expect(reply.status).toBe(200);
      expect(reply.body['type']).toBe('collection');
    });
  });

  describe('structured record archetypes (GPC retrieve_patient_record.md: who is shared)', () => {
    const archetypeCases: [string, number, string][] = [
      ['sensitive', 404, 'PATIENT_NOT_FOUND'],
      ['deceased', 404, 'PATIENT_NOT_FOUND'],
      ['inactive', 404, 'PATIENT_NOT_FOUND'],
      ['temporary-resident', 404, 'PATIENT_NOT_FOUND'],
      ['unverified', 404, 'PATIENT_NOT_FOUND'],
      ['dissent', 403, 'NO_PATIENT_CONSENT'],
    ];
    it.each(archetypeCases)('answers the %s archetype with %i %s', async (key, status, code) => {
      const reply = await structured(parameters(archetype(key).nhsNumber, { name: 'includeMedication' }));
      expect(reply.status).toBe(status);
      expect(spineCode(reply)).toBe(code);
    });

    it('answers 404 PATIENT_NOT_FOUND for a valid NHS number nobody has', async () => {
      const reply = await structured(parameters('9000000009', { name: 'includeMedication' }));
      expect(reply.status).toBe(404);
      expect(spineCode(reply)).toBe('PATIENT_NOT_FOUND');
    });

    it('audits a refused read as refused', async () => {
      const nhsNumber = archetype('dissent').nhsNumber;
      await structured(parameters(nhsNumber, { name: 'includeMedication' }));
      const audit = (await (await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${nhsNumber}`)).json()) as {
        events: { action: string; outcome: string }[];
      };
      expect(audit.events).toEqual(
        expect.arrayContaining([expect.objectContaining({ action: 'getStructuredRecord', outcome: 'refused' })]),
      );
    });
  });

  describe('structured record Bundle (GPC accessrecord_structured_development_bundle.md, _list.md)', () => {
    let reply: GpcReply;
    let traceId: string;
    beforeAll(async () => {
      traceId = '629ea9ba-a077-4d99-b289-7a9b19fd4e03';
      reply = await structured(parameters(archetype('standard').nhsNumber, ...allAreas, { name: 'includeProblems' }), {
        headers: { 'Ssp-TraceID': traceId },
      });
    });
    const lists = () => entries(reply).filter((resource) => resource.resourceType === 'List');

    it('is a collection whose id is the Ssp-TraceID, without versionId, lastUpdated or fullUrl', () => {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        resourceType: 'Bundle',
        id: traceId,
        type: 'collection',
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-StructuredRecord-Bundle-1'] },
      });
      const meta = reply.body['meta'] as Record<string, unknown>;
      expect(meta['versionId']).toBeUndefined();
      expect(meta['lastUpdated']).toBeUndefined();
      for (const entry of reply.body['entry'] as Entry[]) expect(entry.fullUrl).toBeUndefined();
    });

    it.each(['Patient', 'Organization', 'Practitioner', 'PractitionerRole'])('always carries a %s', (type) => {
      expect(entries(reply).some((resource) => resource.resourceType === type)).toBe(true);
    });

    const listCodes: [string, string, string][] = [
      ['allergies', '886921000000105', 'Allergies and adverse reactions'],
      ['ended allergies', '1103671000000101', 'Ended allergies'],
      ['medication', '933361000000108', 'Medications and medical devices'],
      ['immunisations', '1102181000000102', 'Immunisations'],
      ['uncategorised data', '826501000000100', 'Uncategorised data'],
      ['investigations', '887191000000108', 'Investigations and results'],
      ['referrals', '792931000000107', 'Outbound referral'],
      ['diary entries', '714311000000108', 'Patient recall administration'],
      ['problems', '717711000000103', 'Problems'],
    ];
    it.each(listCodes)('has the %s List coded %s "%s", current snapshot', (_area, code, title) => {
      const list = lists().find(
        (candidate) => (candidate['code'] as { coding: { code: string }[] }).coding[0]?.code === code,
      );
      expect(list).toMatchObject({
        title,
        status: 'current',
        mode: 'snapshot',
        code: { coding: [{ system: 'http://snomed.info/sct', code }] },
      });
    });

    it('resolves every List entry to a resource in the Bundle (or a contained one)', () => {
      const present = new Set(entries(reply).map((resource) => `${resource.resourceType}/${resource.id ?? ''}`));
      for (const list of lists()) {
        const contained = new Set(
          ((list['contained'] as Resource[] | undefined) ?? []).map((resource) => `#${resource.id ?? ''}`),
        );
        for (const entry of (list['entry'] as { item: { reference: string } }[] | undefined) ?? []) {
          expect(present.has(entry.item.reference) || contained.has(entry.item.reference)).toBe(true);
        }
      }
    });

    it('brings the items recorded in each consultation, so every consultation List resolves', async () => {
      const consultations = await structured(
        parameters(archetype('standard').nhsNumber, {
          name: 'includeConsultations',
          part: [{ name: 'includeNumberOfMostRecent', valuePositiveInt: 5 }],
        }),
      );
      expect(consultations.status).toBe(200);
      const all = entries(consultations);
      const present = new Set(all.map((resource) => `${resource.resourceType}/${resource.id ?? ''}`));
      const consultationLists = all.filter(
        (resource) => resource.resourceType === 'List' && resource['encounter'] !== undefined,
      );
      expect(consultationLists.length).toBeGreaterThan(0);
      expect(all.some((resource) => resource.resourceType === 'Encounter')).toBe(true);
      for (const list of consultationLists) {
        for (const entry of (list['entry'] as { item: { reference: string } }[] | undefined) ?? []) {
          expect(present.has(entry.item.reference)).toBe(true);
        }
      }
      const primary = all.find(
        (resource) => resource.resourceType === 'List' && resource['title'] === 'List of consultations',
      );
      expect((primary?.['entry'] as unknown[] | undefined)?.length).toBeLessThanOrEqual(5);
    });

    it('gives medication as statement, plan and order requests with the Medication', () => {
      const requests = entries(reply).filter((resource) => resource.resourceType === 'MedicationRequest');
      expect(requests.some((request) => request['intent'] === 'plan')).toBe(true);
      expect(requests.some((request) => request['intent'] === 'order')).toBe(true);
      expect(entries(reply).some((resource) => resource.resourceType === 'MedicationStatement')).toBe(true);
      expect(entries(reply).some((resource) => resource.resourceType === 'Medication')).toBe(true);
    });

    it('gives problems as ProblemHeader Conditions with significance', () => {
      const condition = entries(reply).find((resource) => resource.resourceType === 'Condition');
      expect(condition).toMatchObject({
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-ProblemHeader-Condition-1'] },
        category: [{ coding: [{ code: 'problem-list-item' }] }],
      });
    });

    it('leaves out prescription issues when includePrescriptionIssues is false', async () => {
      const noIssues = await structured(
        parameters(archetype('standard').nhsNumber, {
          name: 'includeMedication',
          part: [{ name: 'includePrescriptionIssues', valueBoolean: false }],
        }),
      );
      const intents = entries(noIssues)
        .filter((resource) => resource.resourceType === 'MedicationRequest')
        .map((request) => request['intent']);
      expect(intents.length).toBeGreaterThan(0);
      expect(intents.every((intent) => intent === 'plan')).toBe(true);
    });

    it('keeps only active problems with filterStatus active', async () => {
      const active = await structured(
        parameters(archetype('standard').nhsNumber, {
          name: 'includeProblems',
          part: [{ name: 'filterStatus', valueCode: 'active' }],
        }),
      );
      const statuses = entries(active)
        .filter((resource) => resource.resourceType === 'Condition')
        .map((condition) => condition['clinicalStatus']);
      expect(statuses.every((status) => status === 'active')).toBe(true);
    });

    it('returns empty primary Lists with an emptyReason (no-allergies archetype)', async () => {
      const empty = await structured(parameters(archetype('no-allergies').nhsNumber, allAreas[0]));
      const list = entries(empty).find(
        (resource) => resource.resourceType === 'List' && resource['title'] === 'Allergies and adverse reactions',
      );
      expect(list?.['emptyReason']).toBeDefined();
      expect(list?.['entry']).toBeUndefined();
    });

    it('warns confidential-items and leaves the items out (confidential-items archetype)', async () => {
      const withheld = await structured(parameters(archetype('confidential-items').nhsNumber, ...allAreas));
      const warned = entries(withheld).filter(
        (resource) =>
          resource.resourceType === 'List' && JSON.stringify(resource['extension']).includes('confidential-items'),
      );
      expect(warned.length).toBeGreaterThan(0);
      expect(JSON.stringify(warned[0]?.['note'])).toContain(
        'Items excluded due to confidentiality and/or patient preferences.',
      );
    });

    it('warns data-in-transit on every List (in-transit archetype)', async () => {
      const transit = await structured(parameters(archetype('in-transit').nhsNumber, { name: 'includeMedication' }));
      const list = entries(transit).find((resource) => resource.resourceType === 'List');
      expect(JSON.stringify(list?.['extension'])).toContain('data-in-transit');
      expect(JSON.stringify(list?.['note'])).toMatch(
        /Patient record transfer from previous GP practice not yet complete; information recorded before \d\d-[A-Z][a-z]{2}-\d{4} may be missing\./,
      );
    });

    it('answers an unrecognised parameter with a NOT_IMPLEMENTED warning (version compatibility)', async () => {
      const newer = await structured(
        parameters(archetype('standard').nhsNumber, { name: 'includeMedication' }, { name: 'includeFutureThing' }),
      );
      expect(newer.status).toBe(200);
      const outcome = entries(newer).find((resource) => resource.resourceType === 'OperationOutcome');
      expect(outcome).toMatchObject({
        issue: [
          {
            severity: 'warning',
            code: 'not-supported',
            details: { coding: [{ code: 'NOT_IMPLEMENTED' }], text: 'includeFutureThing is an unrecognised parameter' },
            diagnostics: 'includeFutureThing',
          },
        ],
      });
    });

    it('answers the full-record (large-record) archetype with every area, resolvable and within its profiles', async () => {
      // Speed is the benchmark's claim (test/bench/gpconnect-structured-record.mjs): a wall-clock
      // limit here failed whenever the machine was busy.
      const large = await structured(
        parameters(archetype('large-record').nhsNumber, ...allAreas, { name: 'includeProblems' }),
      );
      expect(large.status).toBe(200);
      const titles = entries(large)
        .filter((resource) => resource.resourceType === 'List')
        .map((resource) => resource['title']);
      expect(titles).toEqual(expect.arrayContaining(['Medications and medical devices', 'Problems']));
      expect(entries(large).length).toBeGreaterThan(500);
    });

    it('is read by an independent FHIR client (fhir-kit-client): find patient and get structured record', async () => {
      const standard = archetype('standard');
      const headers = (interaction: string) => ({
        'Ssp-TraceID': traceId,
        'Ssp-From': (manifest.consumers[0] as { asid: string }).asid,
        'Ssp-To': practice.asid,
        'Ssp-InteractionID': interaction,
        Authorization: `Bearer ${unsignedJwt(jwtClaims('patient/*.read'))}`,
      });
      // fhir-kit-client 2 is ESM-only, which jest's CommonJS runtime cannot load: run it in its own node.
      const script = [
        "import { Client } from 'fhir-kit-client';",
        'const [root, structuredRoot, nhsNumber, findHeaders, recordHeaders] = process.argv.slice(1);',
        'const found = await new Client({ baseUrl: root, customHeaders: JSON.parse(findHeaders) })',
        `  .search({ resourceType: 'Patient', searchParams: { identifier: '${NHS}|' + nhsNumber } });`,
        'const record = await new Client({ baseUrl: structuredRoot, customHeaders: JSON.parse(recordHeaders) }).operation({',
        "  resourceType: 'Patient', name: '$gpc.getstructuredrecord', method: 'POST',",
        "  input: { resourceType: 'Parameters', parameter: [{ name: 'patientNHSNumber', valueIdentifier: { system: '" +
          NHS +
          "', value: nhsNumber } }, { name: 'includeMedication' }] },",
        '});',
        'process.stdout.write(JSON.stringify({ total: found.total, type: record.type, id: record.id }));',
      ].join('\n');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          script,
          practice.serviceRoots.gpconnect,
          practice.serviceRoots.structured,
          standard.nhsNumber,
          JSON.stringify(headers(INTERACTION.searchPatient)),
          JSON.stringify(headers(INTERACTION.getStructuredRecord)),
        ],
        { cwd: resolve(__dirname, '..', '..') },
      );
      expect(JSON.parse(stdout)).toEqual({ total: 1, type: 'collection', id: traceId });
    });
  });

  describe('secondary Lists (GPC accessrecord_structured_development_lists_for_message_structure.md)', () => {
    const SECONDARY = 'https://fhir.hl7.org.uk/STU3/CodeSystem/GPConnect-SecondaryListValues-1';
    const SPEC_SECONDARY_CODES = [
      'consultations-allergies-contained-in-consultations',
      'consultations-allergies-that-have-been-ended-contained-in-consultations',
      'consultations-diary-entries-contained-in-consultations',
      'consultations-documents-contained-in-consultations',
      'consultations-immunisations-contained-in-consultations',
      'consultations-investigations-contained-in-consultations',
      'consultations-medications-contained-in-consultations',
      'consultations-outbound-referrals-in-consultations',
      'consultations-problems-contained-in-consultations',
      'consultations-uncategorised-data-contained-in-consultations',
      'problems-allergies-related-to-problems',
      'problems-allergies-that-have-been-ended-related-to-problems',
      'problems-consultations-related-to-problems',
      'problems-diary-entries-related-to-problems',
      'problems-documents-related-to-problems',
      'problems-immunisations-related-to-problems',
      'problems-investigations-related-to-problems',
      'problems-medications-related-to-problems',
      'problems-outbound-referrals-related-to-problems',
      'problems-linked-problems-not-relating-to-the-primary-query',
      'problems-uncategorised-data-related-to-problems',
    ];
    const secondaryLists = (reply: GpcReply) =>
      entries(reply).filter(
        (resource) =>
          resource.resourceType === 'List' &&
          (resource['code'] as { coding: { system: string }[] }).coding[0]?.system === SECONDARY,
      );
    const codeOf = (list: Resource) => (list['code'] as { coding: { code: string; display: string }[] }).coding[0];

    it('a problems query adds "Problems - … related to problems" Lists holding the linked items, which the Bundle carries', async () => {
      const reply = await structured(parameters(archetype('large-record').nhsNumber, { name: 'includeProblems' }));
      expect(reply.status).toBe(200);
      const lists = secondaryLists(reply);
      expect(lists.length).toBeGreaterThan(0);
      const present = new Set(entries(reply).map((resource) => `${resource.resourceType}/${resource.id ?? ''}`));
      for (const list of lists) {
        expect(codeOf(list)?.code).toMatch(/^problems-.*-related-to-problems$/);
        for (const entry of (list['entry'] as { item: { reference: string } }[] | undefined) ?? [])
          expect(present.has(entry.item.reference)).toBe(true);
      }
      // Every item a problem links to is in a secondary List (relatedClinicalContent → list entries).
      const listed = new Set(
        lists.flatMap((list) =>
          ((list['entry'] as { item: { reference: string } }[] | undefined) ?? []).map((entry) => entry.item.reference),
        ),
      );
      const related = entries(reply)
        .filter((resource) => resource.resourceType === 'Condition')
        .flatMap((condition) =>
          ((condition['extension'] as { url: string; valueReference?: { reference: string } }[]) ?? [])
            .filter((extension) => extension.url.endsWith('Extension-CareConnect-RelatedClinicalContent-1'))
            .map((extension) => extension.valueReference?.reference ?? ''),
        )
        .filter((reference) => !reference.startsWith('Condition/'));
      expect(related.length).toBeGreaterThan(0);
      for (const reference of related) expect(listed.has(reference)).toBe(true);
    });

    it('a consultations query adds "Consultations - … contained in consultations" Lists', async () => {
      const reply = await structured(
        parameters(archetype('large-record').nhsNumber, {
          name: 'includeConsultations',
          part: [{ name: 'includeNumberOfMostRecent', valuePositiveInt: 3 }],
        }),
      );
      expect(reply.status).toBe(200);
      const codes = secondaryLists(reply).map((list) => codeOf(list)?.code);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(code).toMatch(/^consultations-/);
    });

    it("uses only the spec's 21 codes, titled with their display, and never an empty List without a warning", async () => {
      const reply = await structured(
        parameters(
          archetype('large-record').nhsNumber,
          { name: 'includeProblems' },
          { name: 'includeConsultations', part: [{ name: 'includeNumberOfMostRecent', valuePositiveInt: 5 }] },
        ),
      );
      for (const list of secondaryLists(reply)) {
        const coding = codeOf(list);
        expect(SPEC_SECONDARY_CODES).toContain(coding?.code);
        expect(list['title']).toBe(coding?.display);
        const empty = ((list['entry'] as unknown[] | undefined) ?? []).length === 0;
        if (empty) expect(JSON.stringify(list['extension'])).toMatch(/ListWarningCode/);
      }
    });

    it('are absent when neither problems nor consultations are asked for, but for the one related-problems List', async () => {
      // "The secondary list for related problems ... MAY be returned as part of any query".
      const reply = await structured(parameters(archetype('large-record').nhsNumber, ...allAreas));
      expect(reply.status).toBe(200);
      const codes = secondaryLists(reply).map((list) => codeOf(list)?.code);
      expect(codes.filter((code) => code !== 'problems-linked-problems-not-relating-to-the-primary-query')).toEqual([]);
      expect(codes.length).toBeLessThanOrEqual(1);
    });
  });

  describe('register patient (GPC foundations_use_case_register_a_patient.md)', () => {
    type Archetype = control.Manifest['archetypes'][number];
    const registration = (
      person: { nhsNumber: string; name: string; birthDate: string },
      overrides: Record<string, unknown> = {},
    ) => {
      const [given = '', ...family] = person.name.split(' ');
      return {
        resourceType: 'Parameters',
        parameter: [
          {
            name: 'registerPatient',
            resource: {
              resourceType: 'Patient',
              identifier: [{ system: NHS, value: person.nhsNumber }],
              name: [{ use: 'official', family: family.join(' '), given: [given] }],
              birthDate: person.birthDate,
              ...overrides,
            },
          },
        ],
      };
    };
    const register = (body: unknown, call: Partial<GpcCall> = {}) =>
      gpc({
        method: 'POST',
        path: '/Patient/$gpc.registerpatient',
        interaction: INTERACTION.registerPatient,
        scope: 'patient/*.write',
        body,
        ...call,
      });
    const elsewhere = (key: string): Archetype =>
      manifest.archetypes.find((candidate) => candidate.key === key && candidate.ods !== practice.ods) as Archetype;

    it('registers a patient of another practice temporarily: 200 searchset, registration type T, then findable here', async () => {
      const person = elsewhere('standard');
      const reply = await register(registration(person));
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
      expect(JSON.stringify(entries(reply)[0])).toContain('"code":"T"');
      const found = await findPatient(person.nhsNumber);
      expect(found.body['total']).toBe(1);
      const again = await register(registration(person));
      expect(again.status).toBe(409);
      expect(spineCode(again)).toBe('DUPLICATE_REJECTED');
    });

    it('re-activates an inactive patient of this practice as a temporary registration', async () => {
      const reply = await register(registration(archetype('inactive')));
      expect(reply.status).toBe(200);
    });

    it('answers 409 DUPLICATE_REJECTED for a patient already actively registered here', async () => {
      const reply = await register(registration(archetype('standard')));
      expect(reply.status).toBe(409);
      expect(spineCode(reply)).toBe('DUPLICATE_REJECTED');
    });

    const refusals: [string, () => unknown, number, string][] = [
      ['a deceased patient', () => registration(elsewhere('deceased')), 400, 'INVALID_PATIENT_DEMOGRAPHICS'],
      ['a sensitive patient', () => registration(elsewhere('sensitive')), 400, 'INVALID_PATIENT_DEMOGRAPHICS'],
      [
        'a patient PDS does not hold (unverified)',
        () => registration(elsewhere('unverified')),
        400,
        'INVALID_PATIENT_DEMOGRAPHICS',
      ],
      [
        'a date of birth PDS does not match',
        () => registration({ ...elsewhere('standard'), birthDate: '1900-01-01' }),
        400,
        'INVALID_PATIENT_DEMOGRAPHICS',
      ],
      [
        'a superseded NHS number',
        () =>
          registration({
            ...elsewhere('superseded'),
            nhsNumber: elsewhere('superseded').supersededNhsNumbers?.[0] ?? '',
          }),
        400,
        'INVALID_NHS_NUMBER',
      ],
      [
        'an NHS number failing Mod 11',
        () => registration({ ...elsewhere('standard'), nhsNumber: '9000000001' }),
        400,
        'INVALID_NHS_NUMBER',
      ],
      ['a body that is not Parameters', () => ({ resourceType: 'Patient' }), 422, 'INVALID_RESOURCE'],
      [
        'a Patient without birthDate',
        () => registration({ ...elsewhere('standard'), birthDate: '' }),
        422,
        'INVALID_RESOURCE',
      ],
      [
        'a Patient populating maritalStatus',
        () => registration(elsewhere('standard'), { maritalStatus: { text: 'M' } }),
        422,
        'INVALID_RESOURCE',
      ],
      [
        'a Patient without an official name',
        () => registration(elsewhere('standard'), { name: [{ use: 'usual', family: 'X', given: ['Y'] }] }),
        422,
        'INVALID_RESOURCE',
      ],
    ];
    it.each(refusals)('refuses %s with %i %s', async (_name, body, status, code) => {
      const reply = await register(body());
      expect(reply.status).toBe(status);
      expect(spineCode(reply)).toBe(code);
    });

    it('needs the patient/*.write scope', async () => {
      const reply = await register(registration(elsewhere('standard')), { scope: 'patient/*.read' });
      expect(reply.status).toBe(400);
    });

    it('answers 500 INTERNAL_SERVER_ERROR when PDS cannot be reached', async () => {
      gpsim.engine.spine.markUnavailable('test outage');
      try {
        const reply = await register(registration(elsewhere('duplicate-demographics')));
        expect(reply.status).toBe(500);
        expect(spineCode(reply)).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        gpsim.engine.spine.markAvailable();
      }
    });
  });

  describe('access document (GPC access_documents_development_search_patient_documents.md, retrieve a document)', () => {
    const includes = [
      '_include=DocumentReference:subject:Patient',
      '_include=DocumentReference:custodian:Organization',
      '_include=DocumentReference:author:Organization',
      '_include=DocumentReference:author:Practitioner',
      '_revinclude:recurse=PractitionerRole:practitioner',
    ];
    const idOf = (key: string) => gpsim.engine.population.byNhsNumber(archetype(key).nhsNumber)?.patient.id ?? '';
    const search = (key: string, query: string[] = includes) =>
      gpc({
        root: 'documents',
        path: `/Patient/${idOf(key)}/DocumentReference?${query.join('&')}`,
        interaction: INTERACTION.searchDocuments,
      });
    const binary = (id: string) =>
      gpc({ root: 'documents', path: `/Binary/${id}`, interaction: INTERACTION.readBinary });
    const documentsOf = (reply: GpcReply) =>
      entries(reply).filter((resource) => resource.resourceType === 'DocumentReference');

    it('finds the patient on the documents root with its own interaction', async () => {
      const reply = await gpc({
        root: 'documents',
        path: `/Patient?identifier=${encodeURIComponent(`${NHS}|${archetype('standard').nhsNumber}`)}`,
        interaction: INTERACTION.documentsSearchPatient,
      });
      expect(reply.body['total']).toBe(1);
    });

    it('lists the documents with the patient, practice, usual GP and author organisations', async () => {
      const reply = await search('standard');
      expect(reply.status).toBe(200);
      const types = new Set(entries(reply).map((resource) => resource.resourceType));
      for (const type of ['Patient', 'Organization', 'Practitioner', 'PractitionerRole', 'DocumentReference'])
        expect(types.has(type)).toBe(true);
      expect(documentsOf(reply)[0]).toMatchObject({
        meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-DocumentReference-1'] },
        status: 'current',
        content: [{ attachment: { contentType: 'application/pdf' } }],
      });
    });

    it.each(includes.map((include) => [include]))(
      'answers 422 INVALID_PARAMETER naming the missing %s',
      async (include) => {
        const reply = await search(
          'standard',
          includes.filter((candidate) => candidate !== include),
        );
        expect(reply.status).toBe(422);
        expect(spineCode(reply)).toBe('INVALID_PARAMETER');
        expect(JSON.stringify(reply.body)).toContain(include.split('=')[1] ?? '');
      },
    );

    const filterCases: [string, string, number, string | null][] = [
      ['created with an unknown prefix', 'created=gt2020-01-01', 422, 'INVALID_PARAMETER'],
      ['created as a partial date', 'created=ge2020', 422, 'INVALID_PARAMETER'],
      ['created ge twice', 'created=ge2020-01-01&created=ge2021-01-01', 422, 'INVALID_PARAMETER'],
      [
        'author by another identifier system',
        `author=${encodeURIComponent('https://example.org|X8H01')}`,
        422,
        'INVALID_PARAMETER',
      ],
      ['created ge and le', 'created=ge2000-01-01&created=le2999-01-01', 200, null],
    ];
    it.each(filterCases)('answers %s with %i', async (_name, extra, status, code) => {
      const reply = await search('standard', [...includes, extra]);
      expect(reply.status).toBe(status);
      if (code !== null) expect(spineCode(reply)).toBe(code);
    });

    it('filters by created date and by author ODS code', async () => {
      expect(documentsOf(await search('standard', [...includes, 'created=ge2999-01-01']))).toHaveLength(0);
      const all = documentsOf(await search('standard'));
      const author = entries(await search('standard')).find(
        (resource) => resource.resourceType === 'Organization' && String(resource.id).startsWith('ods-'),
      ) as Resource;
      const ods = (author['identifier'] as { value: string }[])[0]?.value ?? '';
      const byAuthor = documentsOf(
        await search('standard', [
          ...includes,
          `author=${encodeURIComponent(`https://fhir.nhs.uk/Id/ods-organization-code|${ods}`)}`,
        ]),
      );
      expect(byAuthor.length).toBeGreaterThan(0);
      expect(byAuthor.length).toBeLessThanOrEqual(all.length);
    });

    it.each([
      ['dissent', 403, 'NO_PATIENT_CONSENT'],
      ['sensitive', 404, 'PATIENT_NOT_FOUND'],
      ['deceased', 404, 'PATIENT_NOT_FOUND'],
      ['temporary-resident', 404, 'PATIENT_NOT_FOUND'],
    ] as const)('answers the %s archetype with %i %s', async (key, status, code) => {
      const reply = await search(key);
      expect(reply.status).toBe(status);
      expect(spineCode(reply)).toBe(code);
    });

    it('retrieves a document as a Binary holding a PDF generated from its metadata, identically twice', async () => {
      const [document] = documentsOf(await search('standard'));
      const first = await binary(document?.id ?? '');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ resourceType: 'Binary', contentType: 'application/pdf' });
      const pdf = Buffer.from(String(first.body['content']), 'base64').toString('latin1');
      expect(pdf.startsWith('%PDF-1.4')).toBe(true);
      expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
      expect((await binary(document?.id ?? '')).body['content']).toBe(first.body['content']);
    });

    it('answers 404 NO_RECORD_FOUND for a document over 5 MB (large-document archetype)', async () => {
      const large = documentsOf(await search('large-document')).find(
        (document) =>
          ((document['content'] as { attachment: { size: number } }[])[0]?.attachment.size ?? 0) > 5 * 1024 * 1024,
      );
      expect(large).toBeDefined();
      const reply = await binary(large?.id ?? '');
      expect(reply.status).toBe(404);
      expect(spineCode(reply)).toBe('NO_RECORD_FOUND');
    });

    it('answers 404 NO_RECORD_FOUND for an unknown document id', async () => {
      const reply = await binary('00000000-0000-4000-8000-000000000000');
      expect(reply.status).toBe(404);
      expect(spineCode(reply)).toBe('NO_RECORD_FOUND');
    });
  });

  describe('appointment management (Slot*.feature, Appointment*.feature; GPC appointments use cases)', () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const slotQuery = (extra: string[] = []) =>
      [`status=free`, `start=ge${day(1)}`, `end=le${day(7)}`, '_include=Slot:schedule', ...extra].join('&');
    const slotSearch = (query: string) =>
      gpc({ path: `/Slot?${query}`, interaction: INTERACTION.searchSlots, scope: 'organization/*.read' });
    const patientId = () => gpsim.engine.population.byNhsNumber(archetype('standard').nhsNumber)?.patient.id ?? '';
    const appointment = (slot: Resource, overrides: Record<string, unknown> = {}) =>
      appointmentFor(slot, patientId(), overrides);
    const book = (body: unknown) =>
      gpc({
        method: 'POST',
        path: '/Appointment',
        interaction: INTERACTION.bookAppointment,
        scope: 'patient/*.write',
        body,
      });
    const put = (id: string, interaction: string, body: unknown, ifMatch?: string) =>
      gpc({
        method: 'PUT',
        path: `/Appointment/${id}`,
        interaction,
        scope: 'patient/*.write',
        body,
        headers: { 'If-Match': ifMatch },
      });
    let free: Resource[] = [];
    beforeAll(async () => {
      free = entries(await slotSearch(slotQuery())).filter((resource) => resource.resourceType === 'Slot');
    });

    describe('booking window and embargo (GPC appointments_provider_sys_slot_availability.md "Booking window/embargo")', () => {
      const HOUR = 3_600_000;
      const startsIn = (slot: Resource) => Date.parse(String(slot['start'])) - gpsim.engine.clock.now();
      const withWindow = async (window: Record<string, unknown>, check: () => Promise<void>) => {
        await patch(practice.ods, { gpconnect: { bookingWindow: window } });
        try {
          await check();
        } finally {
          await patch(practice.ods, {
            gpconnect: { bookingWindow: { opensDaysBefore: null, closesMinutesBefore: 0 } },
          });
        }
      };
      const offered = async () =>
        entries(await slotSearch(slotQuery())).filter((resource) => resource.resourceType === 'Slot');

      it('offers no slot before its release (opensDaysBefore) and refuses to book an embargoed one', async () => {
        const later = free.find((slot) => startsIn(slot) > 3 * 24 * HOUR);
        expect(later).toBeDefined();
        await withWindow({ opensDaysBefore: 3 }, async () => {
          const slots = await offered();
          expect(slots.length).toBeGreaterThan(0);
          for (const slot of slots) expect(startsIn(slot)).toBeLessThanOrEqual(3 * 24 * HOUR);
          const reply = await book(appointment(later as Resource));
          expect(reply.status).toBe(422);
          expect(spineCode(reply)).toBe('INVALID_RESOURCE');
        });
      });

      it('stops offering and booking a slot closesMinutesBefore its start ("how near to the actual slot time")', async () => {
        const soon = free.find((slot) => startsIn(slot) < 2 * 24 * HOUR);
        expect(soon).toBeDefined();
        await withWindow({ closesMinutesBefore: 2 * 24 * 60 }, async () => {
          const slots = await offered();
          for (const slot of slots) expect(startsIn(slot)).toBeGreaterThanOrEqual(2 * 24 * HOUR);
          const reply = await book(appointment(soon as Resource));
          expect(reply.status).toBe(422);
          expect(spineCode(reply)).toBe('INVALID_RESOURCE');
        });
      });

      it('is per practice: the window is read back from GET /__sim/practices and bad values are refused', async () => {
        await withWindow({ opensDaysBefore: 5, closesMinutesBefore: 30 }, async () => {
          const listed = (await (await fetch(`${gpsim.url}/__sim/practices`)).json()) as {
            practices: { ods: string; settings: control.PracticeSettings }[];
          };
          const mine = listed.practices.find((entry) => entry.ods === practice.ods);
          expect(mine?.settings.gpconnect.bookingWindow).toEqual({ opensDaysBefore: 5, closesMinutesBefore: 30 });
        });
        const refused = await fetch(`${gpsim.url}/__sim/practices/${practice.ods}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ gpconnect: { bookingWindow: { opensDaysBefore: 0 } } }),
        });
        expect(refused.status).toBe(400);
      });
    });

    describe('booking adjacent slots together (GPC appointments_use_case_book_an_appointment.md "Booking multiple adjacent slots")', () => {
      /** Runs of three free slots that follow one another in one Schedule. */
      const adjacentRuns = async (): Promise<Resource[][]> => {
        const slots = entries(await slotSearch(slotQuery()))
          .filter((resource) => resource.resourceType === 'Slot')
          .sort((a, b) => Date.parse(String(a['start'])) - Date.parse(String(b['start'])));
        const bySchedule = new Map<string, Resource[]>();
        for (const slot of slots) {
          const schedule = (slot['schedule'] as { reference: string }).reference;
          bySchedule.set(schedule, [...(bySchedule.get(schedule) ?? []), slot]);
        }
        const runs: Resource[][] = [];
        for (const list of bySchedule.values()) {
          for (let index = 0; index + 2 < list.length; index++) {
            const run = list.slice(index, index + 3);
            const follows = run.every(
              (slot, at) => at === 0 || Date.parse(String(slot['start'])) === Date.parse(String(run[at - 1]?.['end'])),
            );
            // The same service type and delivery channel (Slot.extension deliveryChannel) throughout.
            const kind = (slot: Resource | undefined) => JSON.stringify([slot?.['serviceType'], slot?.['extension']]);
            const sameKind = run.every((slot) => kind(slot) === kind(run[0]));
            if (follows && sameKind) {
              runs.push(run);
              index += 2;
            }
          }
        }
        return runs;
      };
      const multi = (slots: Resource[]) =>
        appointment(slots[0] as Resource, {
          end: slots[slots.length - 1]?.['end'],
          slot: slots.map((slot) => ({ reference: `Slot/${slot.id ?? ''}` })),
        });

      // Runs are taken from the end of the fortnight, clear of the slots the single-slot cases book.
      it('books two adjacent slots as one appointment spanning both, and a cancellation frees both', async () => {
        const run = (await adjacentRuns()).at(-1);
        expect(run).toBeDefined();
        const pair = (run as Resource[]).slice(0, 2);
        const booked = await book(multi(pair));
        expect(booked.status).toBe(201);
        expect(booked.body['slot']).toEqual(pair.map((slot) => ({ reference: `Slot/${slot.id ?? ''}` })));
        expect(Date.parse(String(booked.body['end']))).toBe(Date.parse(String(pair[1]?.['end'])));
        const ids = async () => entries(await slotSearch(slotQuery())).map((resource) => resource.id);
        for (const slot of pair) expect(await ids()).not.toContain(slot.id);
        const cancelled = await put(
          String(booked.body['id']),
          INTERACTION.cancelAppointment,
          { ...booked.body, status: 'cancelled' },
          'W/"1"',
        );
        expect(cancelled.status).toBe(200);
        for (const slot of pair) expect(await ids()).toContain(slot.id);
      });

      it('refuses slots that do not follow one another in one Schedule with 422 INVALID_RESOURCE', async () => {
        const runs = await adjacentRuns();
        const [first, second] = [runs.at(-2), runs.at(-3)];
        expect(second).toBeDefined();
        const gap = [(first as Resource[])[0] as Resource, (first as Resource[])[2] as Resource];
        const otherSchedule = [(first as Resource[])[0] as Resource, (second as Resource[])[1] as Resource];
        for (const slots of [gap, otherSchedule]) {
          const reply = await book(multi(slots));
          expect(reply.status).toBe(422);
          expect(spineCode(reply)).toBe('INVALID_RESOURCE');
        }
      });

      it('takes all the slots or none: of two concurrent bookings sharing a slot exactly one wins, the other is 409 DUPLICATE_REJECTED and holds nothing', async () => {
        const [a, b, c] = (await adjacentRuns()).at(-4) as Resource[];
        const replies = await Promise.all([
          book(multi([a as Resource, b as Resource])),
          book(multi([b as Resource, c as Resource])),
        ]);
        const statuses = replies.map((reply) => reply.status).sort();
        expect(statuses).toEqual([201, 409]);
        const loser = replies.find((reply) => reply.status === 409) as GpcReply;
        expect(spineCode(loser)).toBe('DUPLICATE_REJECTED');
        // The loser's other slot stayed free: it can be booked alone.
        const winnerSlots = (
          replies.find((reply) => reply.status === 201)?.body['slot'] as { reference: string }[]
        ).map((slot) => slot.reference);
        const loserOnly = [a, c].find((slot) => !winnerSlots.includes(`Slot/${slot?.id ?? ''}`)) as Resource;
        const alone = await book(appointment(loserOnly));
        expect(alone.status).toBe(201);
        // Give the slots back, so the cases counting free slots see the diary as it was.
        for (const held of [replies.find((reply) => reply.status === 201) as GpcReply, alone]) {
          const cancelled = await put(
            String(held.body['id']),
            INTERACTION.cancelAppointment,
            { ...held.body, status: 'cancelled' },
            'W/"1"',
          );
          expect(cancelled.status).toBe(200);
        }
      });
    });

    const missingCases: [string, string][] = [
      ['status', [`start=ge${'2026-01-01'}`, 'end=le2026-01-02', '_include=Slot:schedule'].join('&')],
      ['start', ['status=free', 'end=le2026-01-02', '_include=Slot:schedule'].join('&')],
      ['end', ['status=free', 'start=ge2026-01-01', '_include=Slot:schedule'].join('&')],
      ['_include=Slot:schedule', ['status=free', 'start=ge2026-01-01', 'end=le2026-01-02'].join('&')],
    ];
    it.each(missingCases)('answers 400 BAD_REQUEST when %s is missing', async (_name, query) => {
      const reply = await slotSearch(query);
      expect(reply.status).toBe(400);
      expect(spineCode(reply)).toBe('BAD_REQUEST');
    });

    const badCases: [string, string][] = [
      ['status=busy', ['status=busy', `start=ge${day(1)}`, `end=le${day(2)}`, '_include=Slot:schedule'].join('&')],
      ['start without ge', ['status=free', `start=${day(1)}`, `end=le${day(2)}`, '_include=Slot:schedule'].join('&')],
      [
        'a partial start date',
        ['status=free', 'start=ge2026-11', `end=le${day(2)}`, '_include=Slot:schedule'].join('&'),
      ],
      [
        'a date-time without offset',
        ['status=free', `start=ge${day(1)}T09:00:00`, `end=le${day(2)}`, '_include=Slot:schedule'].join('&'),
      ],
      [
        'a range over two weeks',
        ['status=free', `start=ge${day(1)}`, `end=le${day(16)}`, '_include=Slot:schedule'].join('&'),
      ],
      ['end before start', ['status=free', `start=ge${day(5)}`, `end=le${day(2)}`, '_include=Slot:schedule'].join('&')],
      [
        'start twice',
        ['status=free', `start=ge${day(1)}`, `start=ge${day(2)}`, `end=le${day(3)}`, '_include=Slot:schedule'].join(
          '&',
        ),
      ],
    ];
    it.each(badCases)('answers 422 INVALID_PARAMETER for %s', async (_name, query) => {
      const reply = await slotSearch(query);
      expect(reply.status).toBe(422);
      expect(spineCode(reply)).toBe('INVALID_PARAMETER');
    });

    it('returns free future Slots with their Schedules and the Organization', async () => {
      const reply = await slotSearch(slotQuery());
      expect(reply.status).toBe(200);
      const types = new Set(entries(reply).map((resource) => resource.resourceType));
      expect(types).toEqual(new Set(['Slot', 'Schedule', 'Organization']));
      expect(free.length).toBeGreaterThan(0);
      for (const slot of free)
        expect(slot).toMatchObject({
          status: 'free',
          meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1'] },
        });
    });

    it('adds the Practitioners for _include:recurse=Schedule:actor:Practitioner', async () => {
      const reply = await slotSearch(slotQuery(['_include:recurse=Schedule:actor:Practitioner']));
      expect(entries(reply).some((resource) => resource.resourceType === 'Practitioner')).toBe(true);
    });

    it('shows slots reserved for an organisation only to that organisation (searchFilter ODS)', async () => {
      const ods = (manifest.consumers[0] as { ods: string }).ods;
      const filtered = entries(
        await slotSearch(
          slotQuery([`searchFilter=${encodeURIComponent(`https://fhir.nhs.uk/Id/ods-organization-code|${ods}`)}`]),
        ),
      );
      expect(filtered.filter((resource) => resource.resourceType === 'Slot').length).toBeGreaterThan(free.length);
    });

    it('books a free slot (201, Location, ETag), then refuses the same slot with 409 DUPLICATE_REJECTED', async () => {
      const slot = free[0] as Resource;
      const reply = await book(appointment(slot));
      expect(reply.status).toBe(201);
      expect(reply.headers.get('location')).toContain(`/Appointment/${String(reply.body['id'])}`);
      expect(reply.headers.get('etag')).toBe('W/"1"');
      const again = await book(appointment(slot));
      expect(again.status).toBe(409);
      expect(spineCode(again)).toBe('DUPLICATE_REJECTED');
      const after = entries(await slotSearch(slotQuery())).map((resource) => resource.id);
      expect(after).not.toContain(slot.id);
    });

    it('lets exactly one of concurrent bookers of a slot win', async () => {
      const slot = free[1] as Resource;
      const replies = await Promise.all(Array.from({ length: 5 }, () => book(appointment(slot))));
      expect(replies.filter((reply) => reply.status === 201)).toHaveLength(1);
      expect(replies.filter((reply) => reply.status === 409)).toHaveLength(4);
    });

    const bookingRefusals: [string, (slot: Resource) => unknown, number, string][] = [
      [
        'a description over 100 characters',
        (slot) => appointment(slot, { description: 'x'.repeat(101) }),
        422,
        'INVALID_RESOURCE',
      ],
      [
        'a comment over 500 characters',
        (slot) => appointment(slot, { comment: 'x'.repeat(501) }),
        422,
        'INVALID_RESOURCE',
      ],
      [
        'an unknown slot',
        (slot) => appointment(slot, { slot: [{ reference: 'Slot/00000000-0000-4000-8000-000000000000' }] }),
        422,
        'REFERENCE_NOT_FOUND',
      ],
      ['no booking organisation', (slot) => appointment(slot, { contained: [] }), 422, 'INVALID_RESOURCE'],
      [
        'a start that is not the slot start',
        (slot) => appointment(slot, { start: '2000-01-01T09:00:00+00:00' }),
        422,
        'INVALID_RESOURCE',
      ],
      ['status proposed', (slot) => appointment(slot, { status: 'proposed' }), 422, 'INVALID_RESOURCE'],
      [
        'an unknown patient',
        (slot) =>
          appointment(slot, {
            participant: [{ actor: { reference: 'Patient/00000000-0000-4000-8000-000000000000' } }],
          }),
        404,
        'PATIENT_NOT_FOUND',
      ],
      ['a body that is not an Appointment', () => ({ resourceType: 'Patient' }), 422, 'INVALID_RESOURCE'],
    ];
    it.each(bookingRefusals)('refuses a booking with %s (%i %s)', async (_name, body, status, code) => {
      const reply = await book(body(free[2] as Resource));
      expect(reply.status).toBe(status);
      expect(spineCode(reply)).toBe(code);
    });

    it('reads, amends (If-Match), refuses a stale If-Match with 409, cancels and frees the slot', async () => {
      const slot = free[3] as Resource;
      const booked = await book(appointment(slot));
      const id = String(booked.body['id']);
      const read = await gpc({ path: `/Appointment/${id}`, interaction: INTERACTION.readAppointment });
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('W/"1"');
      const amended = await put(
        id,
        INTERACTION.amendAppointment,
        { ...booked.body, comment: 'Bring your inhaler' },
        'W/"1"',
      );
      expect(amended.status).toBe(200);
      expect(amended.body).toMatchObject({ comment: 'Bring your inhaler', meta: { versionId: '2' } });
      const stale = await put(id, INTERACTION.amendAppointment, { ...booked.body, comment: 'Again' }, 'W/"1"');
      expect(stale.status).toBe(409);
      const moved = await put(id, INTERACTION.amendAppointment, {
        ...amended.body,
        start: '2000-01-01T09:00:00+00:00',
      });
      expect(moved.status).toBe(422);
      expect(spineCode(moved)).toBe('INVALID_RESOURCE');
      const tooLong = await put(id, INTERACTION.amendAppointment, { ...amended.body, description: 'x'.repeat(101) });
      expect(tooLong.status).toBe(422);
      const cancelled = await put(id, INTERACTION.cancelAppointment, { ...amended.body, status: 'cancelled' }, 'W/"2"');
      expect(cancelled.status).toBe(200);
      expect(cancelled.body['status']).toBe('cancelled');
      expect(entries(await slotSearch(slotQuery())).map((resource) => resource.id)).toContain(slot.id);
      const afterCancel = await put(id, INTERACTION.amendAppointment, { ...amended.body, comment: 'late' });
      expect(afterCancel.status).toBe(422);
    });

    it('refuses a PUT whose interaction id is neither amend nor cancel', async () => {
      const reply = await put('x', INTERACTION.bookAppointment, {});
      expect(reply.status).toBe(400);
      expect(spineCode(reply)).toBe('BAD_REQUEST');
    });

    it("lists a patient's appointments: bookings and the record's past appointments", async () => {
      const future = await gpc({
        path: `/Patient/${patientId()}/Appointment?start=ge${day(0)}&start=le${day(8)}`,
        interaction: INTERACTION.patientAppointments,
      });
      expect(future.status).toBe(200);
      expect(
        entries(future).some((resource) => resource.resourceType === 'Appointment' && resource['status'] === 'booked'),
      ).toBe(true);
      const past = await gpc({
        path: `/Patient/${patientId()}/Appointment?start=ge${day(-3650)}&start=le${day(0)}`,
        interaction: INTERACTION.patientAppointments,
      });
      expect(
        entries(past).some((resource) => resource['status'] === 'fulfilled' || resource['status'] === 'noshow'),
      ).toBe(true);
      const missingBounds = await gpc({
        path: `/Patient/${patientId()}/Appointment`,
        interaction: INTERACTION.patientAppointments,
      });
      expect(missingBounds.status).toBe(400);
    });
  });

  describe('Spine Secure Proxy emulation (GPC integration_spine_secure_proxy.md; SSP errors of development_fhir_error_handling_guidance.md)', () => {
    const viaSsp = () => {
      const roots = practice.serviceRoots;
      return gpcClient(
        {
          ...practice,
          serviceRoots: {
            gpconnect: `${manifest.endpoints.ssp}/${roots.gpconnect}`,
            structured: `${manifest.endpoints.ssp}/${roots.structured}`,
            documents: `${manifest.endpoints.ssp}/${roots.documents}`,
          },
        },
        (manifest.consumers[0] as { asid: string }).asid,
      );
    };
    const sspDisplay = (reply: GpcReply) =>
      (reply.body['issue'] as { details: { coding: { display: string }[] } }[])[0]?.details.coding[0]?.display;

    it('forwards a valid request to the provider and returns its answer', async () => {
      const reply = await viaSsp()({
        path: '/metadata',
        interaction: INTERACTION.metadata,
        scope: 'organization/*.read',
      });
      expect(reply.status).toBe(200);
      expect(reply.body['resourceType']).toBe('CapabilityStatement');
    });

    it('forwards a structured record POST with its body', async () => {
      const reply = await viaSsp()({
        method: 'POST',
        root: 'structured',
        path: '/Patient/$gpc.getstructuredrecord',
        interaction: INTERACTION.getStructuredRecord,
        body: parameters(archetype('standard').nhsNumber, { name: 'includeMedication' }),
      });
      expect(reply.status).toBe(200);
      expect(reply.body['type']).toBe('collection');
    });

    const sspCases: [string, Partial<GpcCall>, number, RegExp][] = [
      [
        'an unregistered consumer ASID',
        { headers: { 'Ssp-From': '100000000001' } },
        403,
        /^ASID_CHECK_FAILED_MESSAGESENDER_100000000001$/,
      ],
      [
        'Ssp-To not the addressed practice',
        { headers: { 'Ssp-To': '200000000002' } },
        400,
        /_CPAID_S000000000001_VARIES_FROM_TARGETURL_200000000002$/,
      ],
      [
        'an interaction the SSP does not know',
        { interaction: 'urn:nhs:names:services:unknown-1' },
        403,
        /^PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_/,
      ],
      ['an unsupported Accept', { headers: { Accept: 'text/html' } }, 415, /^Unsupported_Media_Type$/],
      ['a method the SSP does not carry', { method: 'DELETE' }, 405, /^405: Method Not Allowed$/],
    ];
    it.each(sspCases)('answers %s with %i in the SSP error shape', async (_name, call, status, display) => {
      const reply = await viaSsp()({
        path: '/metadata',
        interaction: INTERACTION.metadata,
        scope: 'organization/*.read',
        ...call,
      });
      expect(reply.status).toBe(status);
      expect(sspDisplay(reply)).toMatch(display);
    });

    it('answers 502 for a provider URL it cannot reach', async () => {
      const response = await fetch(`${gpsim.url}/ssp/http://127.0.0.1:1/ZZ999/STU3/1/gpconnect/metadata`, {
        headers: {
          'Ssp-From': (manifest.consumers[0] as { asid: string }).asid,
          'Ssp-To': practice.asid,
          'Ssp-InteractionID': INTERACTION.metadata,
        },
      });
      expect(response.status).toBe(502);
      expect(JSON.stringify(await response.json())).toContain('ERROR_COMMUNICATING_TO_ENDPOINT_URL_');
    });
  });

  describe('practice enablement (GPC development_api_non_functional_requirements.md; clinical_area_config.md)', () => {
    afterEach(async () => {
      await patch(practice.ods, {
        gpconnect: {
          enabled: true,
          foundations: true,
          structured: true,
          documents: true,
          clinicalAreas: { medication: true, problems: true },
        },
      });
    });

    it('answers 403 ACCESS DENIED (with its space) when GP Connect is off for the practice', async () => {
      await patch(practice.ods, { gpconnect: { enabled: false } });
      const reply = await findPatient(archetype('standard').nhsNumber);
      expect(reply.status).toBe(403);
      expect(spineCode(reply)).toBe('ACCESS DENIED');
    });

    const capabilityCases: [string, Partial<GpcCall>][] = [
      ['foundations', { path: '/metadata', interaction: INTERACTION.metadata, scope: 'organization/*.read' }],
      [
        'structured',
        {
          root: 'structured',
          path: '/metadata',
          interaction: INTERACTION.structuredMetadata,
          scope: 'organization/*.read',
        },
      ],
      [
        'documents',
        {
          root: 'documents',
          path: '/metadata',
          interaction: INTERACTION.documentsMetadata,
          scope: 'organization/*.read',
        },
      ],
    ];
    it.each(capabilityCases)('answers 403 ACCESS DENIED when the %s capability is off', async (capability, call) => {
      await patch(practice.ods, { gpconnect: { [capability]: false } });
      const reply = await gpc({ path: '', interaction: '', ...call });
      expect(reply.status).toBe(403);
      expect(spineCode(reply)).toBe('ACCESS DENIED');
    });

    it('keeps Foundations working while Structured is off', async () => {
      await patch(practice.ods, { gpconnect: { structured: false } });
      expect((await findPatient(archetype('standard').nhsNumber)).status).toBe(200);
    });

    it.each([
      ['medication', 'includeMedication', { name: 'includeMedication' }],
      ['problems', 'includeProblems', { name: 'includeProblems' }],
    ])('warns "%s has been disabled" instead of returning the area', async (area, parameter, request) => {
      await patch(practice.ods, { gpconnect: { clinicalAreas: { [area]: false } } });
      const reply = await structured(parameters(archetype('standard').nhsNumber, request));
      expect(reply.status).toBe(200);
      const outcome = entries(reply).find((resource) => resource.resourceType === 'OperationOutcome');
      expect(outcome).toMatchObject({
        issue: [{ severity: 'warning', details: { text: `${parameter} has been disabled` }, diagnostics: parameter }],
      });
      expect(entries(reply).some((resource) => resource.resourceType === 'List')).toBe(false);
    });
  });
});
