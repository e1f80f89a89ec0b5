import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { control } from '@gpsim/contracts';
import type { ArchetypeKey } from '@gpsim/simulator/domain/archetypes';
import type { RecordEntry } from '@gpsim/simulator/domain/clinical-record';
import type { Patient } from '@gpsim/simulator/domain/patient';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { backendToken, bearer } from '../support/tokens';

const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
const SPINE_ERRORS = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

interface Resource {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}
interface Bundle {
  resourceType: 'Bundle';
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: Resource; search: { mode: string } }[];
}
interface Outcome {
  resourceType: 'OperationOutcome';
  issue: {
    severity: string;
    code: string;
    details: { coding: { system: string; code: string }[] };
    diagnostics: string;
  }[];
}
interface Reply<T> {
  status: number;
  contentType: string | null;
  body: T;
}

describe('UK Core R4 read API /fhir/R4', () => {
  let gpsim: RunningGpsim;
  let base: string;
  let manifest: control.Manifest;
  let token: string;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    base = `${gpsim.url}/fhir/R4`;
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    token = await backendToken(gpsim.url);
  });
  afterAll(() => gpsim.close());

  async function get<T = Resource>(path: string, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
      headers: { ...bearer(token), ...headers },
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (await response.json()) as T,
    };
  }

  function archetype(key: ArchetypeKey, practiceNumber = 0): control.Manifest['archetypes'][number] {
    const ods = manifest.practices[practiceNumber]?.ods;
    const found = manifest.archetypes.find((candidate) => candidate.key === key && candidate.ods === ods);
    if (!found) throw new Error(`no ${key} archetype`);
    return found;
  }

  function patientOf(key: ArchetypeKey): Patient {
    const found = gpsim.engine.population.byNhsNumber(archetype(key).nhsNumber);
    if (!found) throw new Error(`no ${key} patient`);
    return found.patient;
  }

  function spineCode(outcome: Outcome): string | undefined {
    return outcome.issue[0]?.details.coding.find((coding) => coding.system === SPINE_ERRORS)?.code;
  }

  describe('Patient', () => {
    it('finds a patient by NHS number identifier and reads them by id', async () => {
      const standard = archetype('standard');
      const search = await get<Bundle>(`/Patient?identifier=${NHS_NUMBER}|${standard.nhsNumber}`);
      expect(search.status).toBe(200);
      expect(search.contentType).toBe('application/fhir+json; charset=utf-8');
      expect(search.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
      const id = search.body.entry?.[0]?.resource.id as string;
      expect(search.body.entry?.[0]?.fullUrl).toBe(`${base}/Patient/${id}`);
      const read = await get(`/Patient/${id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        resourceType: 'Patient',
        id,
        meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
        identifier: [{ system: NHS_NUMBER, value: standard.nhsNumber }],
        birthDate: standard.birthDate,
      });
    });

    it('accepts an NHS number without its system (FHIR token search)', async () => {
      const search = await get<Bundle>(`/Patient?identifier=${archetype('standard').nhsNumber}`);
      expect(search.body.total).toBe(1);
    });

    it('is read by an independent FHIR client (fhir-kit-client)', async () => {
      const standard = archetype('standard');
      const id = patientOf('standard').id;
      // fhir-kit-client 2 is ESM-only, which jest's CommonJS runtime cannot load: run it in its own node.
      const script = [
        "import { Client } from 'fhir-kit-client';",
        'const [baseUrl, id, nhsNumber, bearerToken] = process.argv.slice(1);',
        'const client = new Client({ baseUrl, bearerToken });',
        "const patient = await client.read({ resourceType: 'Patient', id });",
        `const bundle = await client.search({ resourceType: 'Patient', searchParams: { identifier: '${NHS_NUMBER}|' + nhsNumber } });`,
        'process.stdout.write(JSON.stringify({ patient, total: bundle.total }));',
      ].join('\n');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', script, base, id, standard.nhsNumber, token],
        { cwd: resolve(__dirname, '..', '..') },
      );
      const { patient, total } = JSON.parse(stdout) as { patient: Resource; total: number };
      expect(total).toBe(1);
      expect(patient).toMatchObject({
        resourceType: 'Patient',
        id,
        meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
        identifier: [{ system: NHS_NUMBER, value: standard.nhsNumber }],
        name: [{ family: patientOf('standard').name.family, given: patientOf('standard').name.given }],
        birthDate: standard.birthDate,
      });
    });

    it('finds patients by family name and birth date, case-insensitively, and both patients who share them', async () => {
      const standard = patientOf('standard');
      const twin = patientOf('duplicate-demographics');
      const search = await get<Bundle>(
        `/Patient?family=${encodeURIComponent(standard.name.family.toUpperCase())}&birthdate=eq${standard.birthDate}`,
      );
      expect(search.status).toBe(200);
      const ids = search.body.entry?.map((entry) => entry.resource.id);
      expect(ids).toEqual(expect.arrayContaining([standard.id, twin.id]));
      expect(search.body.total).toBe(ids?.length);
    });

    it('returns 404 for a sensitive patient and leaves them out of searches', async () => {
      const sensitive = patientOf('sensitive');
      const read = await get<Outcome>(`/Patient/${sensitive.id}`);
      expect(read.status).toBe(404);
      expect(read.body.resourceType).toBe('OperationOutcome');
      expect(spineCode(read.body)).toBe('RESOURCE_NOT_FOUND');
      const byNumber = await get<Bundle>(`/Patient?identifier=${NHS_NUMBER}|${sensitive.nhsNumber}`);
      expect(byNumber.body.total).toBe(0);
      const byName = await get<Bundle>(
        `/Patient?family=${encodeURIComponent(sensitive.name.family)}&birthdate=${sensitive.birthDate}`,
      );
      expect(byName.body.entry?.map((entry) => entry.resource.id) ?? []).not.toContain(sensitive.id);
    });

    it('answers a sensitive patient exactly as an unknown one', async () => {
      const sensitive = await get<Outcome>(`/Patient/${patientOf('sensitive').id}`);
      const unknown = await get<Outcome>('/Patient/00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(sensitive.status);
      expect(spineCode(unknown.body)).toBe(spineCode(sensitive.body));
    });

    it('shows deceased and departed patients as the record holds them: inactive, with the date of death', async () => {
      const deceased = patientOf('deceased');
      const read = await get(`/Patient/${deceased.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ active: false, deceasedDateTime: deceased.deceasedDate });
      expect((await get(`/Patient/${patientOf('inactive').id}`)).body).toMatchObject({ active: false });
    });

    it('does not match a superseded NHS number: the record carries only the current one', async () => {
      const superseded = archetype('superseded').supersededNhsNumbers?.[0];
      expect(superseded).toBeDefined();
      const search = await get<Bundle>(`/Patient?identifier=${NHS_NUMBER}|${superseded}`);
      expect(search.status).toBe(200);
      expect(search.body.total).toBe(0);
    });

    it('rejects an identifier with another system: 400 INVALID_IDENTIFIER_SYSTEM', async () => {
      const reply = await get<Outcome>('/Patient?identifier=https://fhir.nhs.uk/Id/ods-organization-code|X12345');
      expect(reply.status).toBe(400);
      expect(spineCode(reply.body)).toBe('INVALID_IDENTIFIER_SYSTEM');
      expect(reply.body.issue[0]?.diagnostics).toContain(NHS_NUMBER);
    });

    it('rejects an NHS number that fails Modulus 11: 400', async () => {
      const valid = archetype('standard').nhsNumber;
      const wrongCheckDigit = valid.slice(0, 9) + String((Number(valid[9]) + 1) % 10);
      const reply = await get<Outcome>(`/Patient?identifier=${NHS_NUMBER}|${wrongCheckDigit}`);
      expect(reply.status).toBe(400);
      expect(spineCode(reply.body)).toBe('INVALID_IDENTIFIER_VALUE');
    });

    it.each([
      ['family without birthdate', '/Patient?family=Smith'],
      ['birthdate without family', '/Patient?birthdate=1962-02-16'],
      ['no criteria at all', '/Patient'],
      ['a malformed birthdate', '/Patient?family=Smith&birthdate=16/02/1962'],
      ['a non-integer _count', '/Patient?family=Smith&birthdate=1962-02-16&_count=ten'],
    ])('rejects %s with 400 INVALID_SEARCH_DATA and says what to send', async (_name, path) => {
      const reply = await get<Outcome>(path);
      expect(reply.status).toBe(400);
      expect(spineCode(reply.body)).toBe('INVALID_SEARCH_DATA');
      expect(reply.body.issue[0]?.diagnostics.length).toBeGreaterThan(10);
    });

    it('ignores unknown search parameters and leaves them out of the self link', async () => {
      const reply = await get<Bundle>(`/Patient?identifier=${archetype('standard').nhsNumber}&colour=blue`);
      expect(reply.status).toBe(200);
      expect(reply.body.total).toBe(1);
      expect(reply.body.link.find((link) => link.relation === 'self')?.url).not.toContain('colour');
    });

    it('audits every read with the token client, trace id and NHS number, and journals the practice', async () => {
      const standard = patientOf('standard');
      const traceId = '2d8e8c1e-6f7a-4d55-9c1f-0a1b2c3d4e5f';
      // The authenticated client wins over an unauthenticated X-Client-Id header.
      await get(`/Patient/${standard.id}`, { 'X-Client-Id': 'audit-test-client', 'X-Request-ID': traceId });
      const audit = (await (
        await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${standard.nhsNumber}&surface=fhir-r4&limit=1000`)
      ).json()) as { events: { action: string; clientId?: string; traceId?: string; outcome: string }[] };
      expect(audit.events).toContainEqual(
        expect.objectContaining({ action: 'read-patient', clientId: 'gpsim-backend', traceId, outcome: 'allowed' }),
      );
      const journal = (await (await fetch(`${gpsim.url}/__sim/journal?surface=fhir-r4&limit=1000`)).json()) as {
        entries: { traceId: string; ods?: string }[];
      };
      expect(journal.entries.find((entry) => entry.traceId === traceId)?.ods).toBe(archetype('standard').ods);
    });
  });

  describe('the patient record', () => {
    const searchable = [
      'Condition',
      'AllergyIntolerance',
      'MedicationStatement',
      'Observation',
      'Immunization',
      'Encounter',
      'DocumentReference',
    ] as const;

    it.each(searchable)('searches %s by patient and reads each result back by id', async (type) => {
      const standard = patientOf('standard');
      const search = await get<Bundle>(`/${type}?patient=Patient/${standard.id}&_count=3`);
      expect(search.status).toBe(200);
      expect(search.body.total).toBeGreaterThan(0);
      const first = search.body.entry?.[0]?.resource as Resource;
      expect(first.resourceType).toBe(type);
      expect(first.meta).toMatchObject({
        profile: [expect.stringMatching(/^https:\/\/fhir\.hl7\.org\.uk\/StructureDefinition\/UKCore-/)],
      });
      const read = await get(`/${type}/${first.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(first);
    });

    it('codes problems in SNOMED CT and points them at the patient', async () => {
      const standard = patientOf('standard');
      const search = await get<Bundle>(`/Condition?patient=${standard.id}`);
      for (const entry of search.body.entry ?? []) {
        expect(entry.resource).toMatchObject({
          code: { coding: [{ system: 'http://snomed.info/sct' }] },
          subject: { reference: `Patient/${standard.id}` },
        });
      }
    });

    it('pages search results with a working next link', async () => {
      const standard = patientOf('standard');
      let page = await get<Bundle>(`/Observation?patient=${standard.id}&_count=20`);
      const total = page.body.total;
      expect(total).toBeGreaterThan(40);
      const seen: string[] = [];
      for (;;) {
        seen.push(...(page.body.entry ?? []).map((entry) => entry.resource.id));
        const next = page.body.link.find((link) => link.relation === 'next');
        if (!next) break;
        page = await get<Bundle>(next.url);
        expect(page.status).toBe(200);
      }
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
    });

    it('shows blood pressure with its systolic and diastolic components', async () => {
      const standard = patientOf('standard');
      const search = await get<Bundle>(`/Observation?patient=${standard.id}&_count=500`);
      const bp = search.body.entry?.find((entry) =>
        JSON.stringify(entry.resource['code']).includes('"75367002"'),
      )?.resource;
      expect(bp).toMatchObject({
        meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation-VitalSigns-BloodPressure'] },
        component: [{ valueQuantity: { code: 'mm[Hg]' } }, { valueQuantity: { code: 'mm[Hg]' } }],
      });
    });

    it('never returns entries marked confidential, by search or by id', async () => {
      const patient = patientOf('confidential-items');
      const record = gpsim.engine.population.record(patient);
      const confidential = (Object.values(record) as RecordEntry[][])
        .flat()
        .find((entry) => entry.confidential === true && entry.kind === 'problem');
      expect(confidential).toBeDefined();
      const search = await get<Bundle>(`/Condition?patient=${patient.id}&_count=500`);
      expect(search.body.total).toBe(record.problems.filter((problem) => problem.confidential !== true).length);
      expect(search.body.entry?.map((entry) => entry.resource.id) ?? []).not.toContain(confidential?.id);
      const read = await get<Outcome>(`/Condition/${confidential?.id}`);
      expect(read.status).toBe(404);
      expect(spineCode(read.body)).toBe('RESOURCE_NOT_FOUND');
    });

    it('returns an empty searchset for a sensitive patient and 404 for their entries', async () => {
      const sensitive = patientOf('sensitive');
      const search = await get<Bundle>(`/Condition?patient=${sensitive.id}`);
      expect(search.status).toBe(200);
      expect(search.body.total).toBe(0);
      const entry = gpsim.engine.population.record(sensitive).observations[0];
      expect(entry).toBeDefined();
      expect((await get(`/Observation/${entry?.id}`)).status).toBe(404);
    });

    it('serves past appointments as UK Core Appointments, attended ones linked to their consultation slot', async () => {
      const standard = patientOf('standard');
      const record = gpsim.engine.population.record(standard);
      const search = await get<Bundle>(`/Appointment?patient=${standard.id}&_count=500`);
      expect(search.status).toBe(200);
      expect(search.body.total).toBe(record.appointments.length);
      expect(record.appointments.length).toBeGreaterThan(0);
      const first = record.appointments.find((appointment) => appointment.status === 'fulfilled');
      const read = await get<{
        status: string;
        start: string;
        participant: { actor: { reference?: string } }[];
        meta: { profile: string[] };
      }>(`/Appointment/${first?.id}`);
      expect(read.status).toBe(200);
      expect(read.body.meta.profile).toEqual(['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Appointment']);
      expect(read.body.status).toBe('fulfilled');
      expect(read.body.start).toBe(first?.date);
      expect(read.body.participant[0]?.actor.reference).toBe(`Patient/${standard.id}`);
    });

    it('requires the patient parameter', async () => {
      const reply = await get<Outcome>('/Condition');
      expect(reply.status).toBe(400);
      expect(reply.body.issue[0]?.diagnostics).toContain('patient');
    });

    it('does not find an entry through the wrong resource type', async () => {
      const problem = gpsim.engine.population.record(patientOf('standard')).problems[0];
      expect((await get(`/Observation/${problem?.id}`)).status).toBe(404);
    });

    it('audits record reads as read-record', async () => {
      const standard = patientOf('standard');
      await get(`/Immunization?patient=${standard.id}`, { 'X-Client-Id': 'record-audit-client' });
      const audit = (await (
        await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${standard.nhsNumber}&surface=fhir-r4&limit=1000`)
      ).json()) as { events: { action: string; clientId?: string }[] };
      expect(audit.events).toContainEqual(
        expect.objectContaining({ action: 'read-record', clientId: 'gpsim-backend' }),
      );
    });
  });

  describe('Practitioner and Organization', () => {
    it('finds a practitioner by SDS user id and reads them by id', async () => {
      const user = manifest.users[0];
      const search = await get<Bundle>(
        `/Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|${user?.sdsUserId}`,
      );
      expect(search.body.total).toBe(1);
      const practitioner = search.body.entry?.[0]?.resource as Resource;
      expect(practitioner).toMatchObject({
        identifier: expect.arrayContaining([{ system: 'https://fhir.nhs.uk/Id/sds-user-id', value: user?.sdsUserId }]),
      });
      expect((await get(`/Practitioner/${practitioner.id}`)).body).toEqual(practitioner);
    });

    it("resolves the patient's generalPractitioner reference to the practice Organization", async () => {
      const patient = await get(`/Patient/${patientOf('standard').id}`);
      const reference = (patient.body['generalPractitioner'] as { reference: string }[])[0]?.reference;
      const organization = await get(`/${reference}`);
      expect(organization.status).toBe(200);
      expect(organization.body).toMatchObject({
        resourceType: 'Organization',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: archetype('standard').ods }],
      });
      const search = await get<Bundle>(
        `/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|${archetype('standard').ods}`,
      );
      expect(search.body.entry?.[0]?.resource).toEqual(organization.body);
    });

    it('answers an unknown practitioner with 404', async () => {
      expect((await get('/Practitioner/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });
  });

  describe('the HTTP face', () => {
    it('publishes a CapabilityStatement for FHIR 4.0.1 listing exactly the resources served', async () => {
      const reply = await get<{
        fhirVersion: string;
        rest: { resource: { type: string; searchParam: { name: string }[] }[] }[];
      }>('/metadata');
      expect(reply.status).toBe(200);
      expect(reply.body.fhirVersion).toBe('4.0.1');
      const resources = reply.body.rest[0]?.resource ?? [];
      expect(resources.map((resource) => resource.type).sort()).toEqual(
        [
          'AllergyIntolerance',
          'Appointment',
          'Condition',
          'DocumentReference',
          'Encounter',
          'Immunization',
          'MedicationStatement',
          'Observation',
          'Organization',
          'Patient',
          'Practitioner',
        ].sort(),
      );
      for (const resource of resources) {
        // Every advertised type has a read route (a 404 OperationOutcome for a made-up id, not "no endpoint").
        const read = await get<Outcome>(`/${resource.type}/00000000-0000-4000-8000-000000000000`);
        expect(read.status).toBe(404);
        expect(read.body.issue[0]?.diagnostics).not.toContain('No fhir-r4 endpoint');
        expect(resource.searchParam.length).toBeGreaterThan(0);
      }
    });

    it('answers 406 for XML: only JSON is served on this face', async () => {
      const byFormat = await get<Outcome>('/metadata?_format=xml');
      expect(byFormat.status).toBe(406);
      expect(byFormat.body.issue[0]?.diagnostics).toContain('JSON');
      expect((await get('/metadata', { Accept: 'application/fhir+xml' })).status).toBe(406);
      expect((await get('/metadata', { Accept: 'application/fhir+json' })).status).toBe(200);
      expect((await get('/metadata?_format=json')).status).toBe(200);
    });

    it('answers 404 OperationOutcome for an unknown path and 405 for a wrong method', async () => {
      const unknown = await get<Outcome>('/Basket');
      expect(unknown.status).toBe(404);
      expect(unknown.body.resourceType).toBe('OperationOutcome');
      const post = await fetch(`${base}/Patient`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(405);
      expect(((await post.json()) as Outcome).resourceType).toBe('OperationOutcome');
    });
  });
});
