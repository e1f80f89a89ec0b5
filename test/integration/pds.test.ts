import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { ArchetypeKey } from '@gpsim/simulator/domain/archetypes';
import { isValidNhsNumber } from '@gpsim/simulator/domain/nhs-number';
import type { Patient } from '@gpsim/simulator/domain/patient';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/**
 * The PDS facade against the PDS FHIR specification (NHSDigital/personal-demographics-service-api):
 * [get] specification/components/paths/patient-get.yaml, [search] …/patient-search.yaml,
 * [yaml] specification/personal-demographics.yaml, [stubs] karate-tests/src/test/java/mocks/stubs.
 */
const SPINE_ERRORS = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

interface PdsPatient {
  resourceType: 'Patient';
  id: string;
  meta: { versionId: string; security: { system: string; code: string; display: string }[] };
  identifier: { system: string; value: string }[];
  name: { family: string; given: string[] }[];
  birthDate: string;
  address?: unknown[];
  telecom?: unknown[];
  generalPractitioner?: { identifier: { value: string } }[];
}
interface SearchBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  timestamp: string;
  total: number;
  entry?: { fullUrl: string; search: { score: number }; resource: PdsPatient }[];
}
interface Outcome {
  resourceType: 'OperationOutcome';
  issue: {
    severity: string;
    code: string;
    details: { coding: { system: string; version: string; code: string; display: string }[] };
    diagnostics?: string;
  }[];
}

describe('PDS facade /spine/pds/FHIR/R4', () => {
  let gpsim: RunningGpsim;
  let base: string;
  let manifest: control.Manifest;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    base = `${gpsim.url}/spine/pds/FHIR/R4`;
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
  });
  afterAll(() => gpsim.close());

  async function get<T>(path: string, headers: Record<string, string> = { 'X-Request-ID': randomUUID() }) {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: (await response.json()) as T };
  }

  function archetype(key: ArchetypeKey): control.Manifest['archetypes'][number] {
    const ods = manifest.practices[0]?.ods;
    const found = manifest.archetypes.find((candidate) => candidate.key === key && candidate.ods === ods);
    if (!found) throw new Error(`no ${key} archetype`);
    return found;
  }

  function patientOf(key: ArchetypeKey): Patient {
    const found = gpsim.engine.population.byNhsNumber(archetype(key).nhsNumber);
    if (!found) throw new Error(`no ${key} patient`);
    return found.patient;
  }

  function coding(outcome: Outcome) {
    return outcome.issue[0]?.details.coding[0];
  }

  function search(patient: Patient, extra = ''): string {
    return `/Patient?family=${encodeURIComponent(patient.name.family)}&birthdate=eq${patient.birthDate}${extra}`;
  }

  describe('retrieval by NHS number ([get])', () => {
    it('returns the patient with ETag and meta.versionId, mirroring X-Request-ID and X-Correlation-ID', async () => {
      const standard = archetype('standard');
      const requestId = randomUUID();
      const reply = await get<PdsPatient>(`/Patient/${standard.nhsNumber}`, {
        'X-Request-ID': requestId,
        'X-Correlation-ID': 'correlation-42',
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/fhir+json');
      expect(reply.headers.get('etag')).toBe(`W/"${reply.body.meta.versionId}"`);
      expect(reply.headers.get('x-request-id')).toBe(requestId);
      expect(reply.headers.get('x-correlation-id')).toBe('correlation-42');
      expect(reply.body).toMatchObject({
        resourceType: 'Patient',
        id: standard.nhsNumber,
        identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: standard.nhsNumber }],
        meta: { security: [{ code: 'U', display: 'unrestricted' }] },
        birthDate: standard.birthDate,
        generalPractitioner: [{ identifier: { value: standard.ods } }],
      });
    });

    it('resolves a superseded NHS number to the current record, whose id differs from the number asked for ([get] lines 7-12)', async () => {
      const superseded = archetype('superseded');
      const oldNumber = superseded.supersededNhsNumbers?.[0] as string;
      expect(oldNumber).toBeDefined();
      const reply = await get<PdsPatient>(`/Patient/${oldNumber}`);
      expect(reply.status).toBe(200);
      expect(reply.body.id).toBe(superseded.nhsNumber);
      expect(reply.body.id).not.toBe(oldNumber);
      expect(reply.body.identifier[0]?.value).toBe(superseded.nhsNumber);
    });

    it('returns a restricted patient without address, telecom or GP, labelled R ([get] lines 14-17)', async () => {
      const reply = await get<PdsPatient>(`/Patient/${archetype('sensitive').nhsNumber}`);
      expect(reply.status).toBe(200);
      expect(reply.body.meta.security).toEqual([
        { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' },
      ]);
      expect(reply.body.address).toBeUndefined();
      expect(reply.body.telecom).toBeUndefined();
      expect(reply.body.generalPractitioner).toBeUndefined();
      expect(reply.body.birthDate).toBe(archetype('sensitive').birthDate);
    });

    it('answers 404 RESOURCE_NOT_FOUND in the PDS shape for a valid number nobody has ([get] line 68)', async () => {
      let unknown = '';
      for (let stem = 900_000_001; !unknown; stem++) {
        for (let check = 0; check <= 9 && !unknown; check++) {
          const candidate = `${stem}${check}`;
          if (isValidNhsNumber(candidate) && !gpsim.engine.population.byNhsNumber(candidate)) unknown = candidate;
        }
      }
      const reply = await get<Outcome>(`/Patient/${unknown}`);
      expect(reply.status).toBe(404);
      expect(reply.body.resourceType).toBe('OperationOutcome');
      expect(reply.body.issue[0]?.code).toBe('not-found');
      expect(coding(reply.body)).toEqual({
        system: SPINE_ERRORS,
        version: '1',
        code: 'RESOURCE_NOT_FOUND',
        display: 'Resource not found',
      });
    });

    it('answers 404 for a patient who is not on PDS (the unverified archetype)', async () => {
      const reply = await get<Outcome>(`/Patient/${archetype('unverified').nhsNumber}`);
      expect(reply.status).toBe(404);
      expect(coding(reply.body)?.code).toBe('RESOURCE_NOT_FOUND');
    });

    it('answers 400 INVALID_RESOURCE_ID for a number that fails Modulus 11 ([get] line 62)', async () => {
      const valid = archetype('standard').nhsNumber;
      const invalid = valid.slice(0, 9) + String((Number(valid[9]) + 1) % 10);
      const reply = await get<Outcome>(`/Patient/${invalid}`);
      expect(reply.status).toBe(400);
      expect(reply.body.issue[0]?.code).toBe('value');
      expect(coding(reply.body)).toEqual({
        system: SPINE_ERRORS,
        version: '1',
        code: 'INVALID_RESOURCE_ID',
        display: 'Resource Id is invalid',
      });
    });

    it('requires X-Request-ID: 400 MISSING_VALUE without it, INVALID_VALUE if not a UUID ([yaml] lines 408-425)', async () => {
      const path = `/Patient/${archetype('standard').nhsNumber}`;
      const missing = await get<Outcome>(path, {});
      expect(missing.status).toBe(400);
      expect(coding(missing.body)?.code).toBe('MISSING_VALUE');
      const invalid = await get<Outcome>(path, { 'X-Request-ID': 'not-a-uuid' });
      expect(invalid.status).toBe(400);
      expect(coding(invalid.body)?.code).toBe('INVALID_VALUE');
      expect(invalid.body.issue[0]?.diagnostics).toBe("Invalid value - 'not-a-uuid' in header 'X-Request-ID'");
      expect(invalid.headers.get('x-request-id')).toBe('not-a-uuid');
    });

    it('audits each retrieval on the pds surface', async () => {
      const standard = archetype('standard');
      const requestId = randomUUID();
      await get(`/Patient/${standard.nhsNumber}`, { 'X-Request-ID': requestId, 'X-Client-Id': 'pds-audit-client' });
      const audit = (await (
        await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${standard.nhsNumber}&surface=pds&limit=1000`)
      ).json()) as { events: { action: string; clientId?: string; traceId?: string }[] };
      expect(audit.events).toContainEqual(
        expect.objectContaining({ action: 'read-patient', clientId: 'pds-audit-client', traceId: requestId }),
      );
    });
  });

  describe('search ([search])', () => {
    it('finds patients by family name and date of birth, scored and best first', async () => {
      const standard = patientOf('standard');
      const twin = patientOf('duplicate-demographics');
      const reply = await get<SearchBundle>(search(standard));
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(reply.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
      const ids = reply.body.entry?.map((entry) => entry.resource.id);
      expect(ids).toEqual(expect.arrayContaining([standard.nhsNumber, twin.nhsNumber]));
      expect(reply.body.total).toBe(ids?.length);
      expect(reply.body.entry?.every((entry) => entry.search.score === 1)).toBe(true);
      expect(reply.body.entry?.[0]?.fullUrl).toBe(`${base}/Patient/${reply.body.entry?.[0]?.resource.id}`);
    });

    it('answers TOO_MANY_MATCHES (200) when more patients match than _max-results ([yaml] lines 481-486)', async () => {
      const reply = await get<Outcome>(search(patientOf('standard'), '&_max-results=1'));
      expect(reply.status).toBe(200);
      expect(reply.body.resourceType).toBe('OperationOutcome');
      expect(reply.body.issue[0]).toMatchObject({ severity: 'information', code: 'multiple-matches' });
      expect(coding(reply.body)).toMatchObject({ system: SPINE_ERRORS, version: '1', code: 'TOO_MANY_MATCHES' });
    });

    it('narrows with gender, given name and postcode (spaces ignored)', async () => {
      const standard = patientOf('standard');
      const postcode = encodeURIComponent(standard.address.postalCode.replace(' ', ''));
      const reply = await get<SearchBundle>(
        search(
          standard,
          `&given=${encodeURIComponent(standard.name.given[0] ?? '')}&gender=${standard.sex}&address-postalcode=${postcode}`,
        ),
      );
      expect(reply.body.entry?.map((entry) => entry.resource.id)).toEqual([standard.nhsNumber]);
    });

    it('matches wildcards after the first two characters with a score below 1, excluded by _exact-match ([yaml] line 499)', async () => {
      const standard = patientOf('standard');
      const wildcard = `${standard.name.family.slice(0, 2)}*`;
      const reply = await get<SearchBundle>(
        `/Patient?family=${encodeURIComponent(wildcard)}&birthdate=${standard.birthDate}`,
      );
      const entry = reply.body.entry?.find((candidate) => candidate.resource.id === standard.nhsNumber);
      expect(entry?.search.score).toBeLessThan(1);
      const exact = await get<SearchBundle>(
        `/Patient?family=${encodeURIComponent(wildcard)}&birthdate=${standard.birthDate}&_exact-match=true`,
      );
      expect(exact.body.total).toBe(0);
    });

    it('refuses a wildcard within the first two characters with 400 INVALID_SEARCH_DATA ([yaml] line 499)', async () => {
      const standard = patientOf('standard');
      const reply = await get<Outcome>(
        `/Patient?family=${standard.name.family.slice(0, 1)}*&birthdate=${standard.birthDate}`,
      );
      expect(reply.status).toBe(400);
      expect(coding(reply.body)?.code).toBe('INVALID_SEARCH_DATA');
    });

    it('finds a homophone only with _fuzzy-match, by Soundex, scored below 1 ([search] lines 126-135)', async () => {
      const standard = patientOf('standard');
      // Change a vowel after the first letter: Soundex ignores it, an exact comparison does not.
      const family = standard.name.family;
      const at = [...family].findIndex((letter, index) => index > 0 && 'aeiou'.includes(letter));
      const homophone = family.slice(0, at) + (family[at] === 'e' ? 'a' : 'e') + family.slice(at + 1);
      const given = encodeURIComponent(standard.name.given[0] ?? '');
      const plain = await get<SearchBundle>(
        `/Patient?family=${homophone}&given=${given}&birthdate=${standard.birthDate}`,
      );
      expect(plain.body.total).toBe(0);
      const fuzzy = await get<SearchBundle>(
        `/Patient?_fuzzy-match=true&family=${homophone}&given=${given}&birthdate=${standard.birthDate}`,
      );
      const entry = fuzzy.body.entry?.find((candidate) => candidate.resource.id === standard.nhsNumber);
      expect(entry?.search.score).toBeGreaterThan(0);
      expect(entry?.search.score).toBeLessThan(1);
    });

    it('searches a date-of-birth range given as ge and le ([yaml] line 554)', async () => {
      const standard = patientOf('standard');
      const day = Date.parse(standard.birthDate);
      const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const reply = await get<SearchBundle>(
        `/Patient?family=${encodeURIComponent(standard.name.family)}&birthdate=ge${iso(day - 86_400_000)}&birthdate=le${iso(day + 86_400_000)}`,
      );
      expect(reply.body.entry?.map((entry) => entry.resource.id)).toContain(standard.nhsNumber);
    });

    it('returns a restricted patient with restricted fields removed, but never to a postcode search ([search] lines 50-55)', async () => {
      const sensitive = patientOf('sensitive');
      const reply = await get<SearchBundle>(search(sensitive));
      const found = reply.body.entry?.find((entry) => entry.resource.id === sensitive.nhsNumber)?.resource;
      expect(found?.meta.security[0]?.code).toBe('R');
      expect(found?.address).toBeUndefined();
      expect(found?.telecom).toBeUndefined();
      expect(found?.generalPractitioner).toBeUndefined();
      const byPostcode = await get<SearchBundle>(
        search(sensitive, `&address-postalcode=${encodeURIComponent(sensitive.address.postalCode)}`),
      );
      expect(byPostcode.body.entry?.map((entry) => entry.resource.id) ?? []).not.toContain(sensitive.nhsNumber);
    });

    it('does not find a patient who is not on PDS', async () => {
      const unverified = patientOf('unverified');
      const reply = await get<SearchBundle>(search(unverified));
      expect(reply.body.entry?.map((entry) => entry.resource.id) ?? []).not.toContain(unverified.nhsNumber);
    });

    it('answers an empty searchset when nobody matches', async () => {
      const reply = await get<SearchBundle>('/Patient?family=Nobodyatall&birthdate=1900-01-01');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 0 });
      expect(reply.body.entry).toBeUndefined();
    });

    it.each([
      ['UNSUPPORTED_SERVICE', 'no parameters', '/Patient'],
      ['ADDITIONAL_PROPERTIES', 'an unrecognised parameter', '/Patient?family=Smith&birthdate=eq2010-10-22&year=2003'],
      ['MISSING_VALUE', 'no date of birth', '/Patient?family=Smith'],
      ['INVALID_SEARCH_DATA', 'no family name in a non-fuzzy search', '/Patient?birthdate=eq2010-10-22&gender=female'],
      ['INVALID_VALUE', 'a malformed date', '/Patient?family=Smith&birthdate=20101022'],
      ['INVALID_VALUE', 'an unknown gender', '/Patient?family=Smith&birthdate=2010-10-22&gender=mal'],
      ['INVALID_VALUE', '_max-results above 50', '/Patient?family=Smith&birthdate=2010-10-22&_max-results=51'],
      [
        'INVALID_SEARCH_DATA',
        'a wildcard in a fuzzy search',
        '/Patient?_fuzzy-match=true&family=Sm*&given=Jane&birthdate=2010-10-22',
      ],
    ])('answers 400 %s for %s ([search] lines 280-289)', async (code, _name, path) => {
      const reply = await get<Outcome>(path);
      expect(reply.status).toBe(400);
      expect(coding(reply.body)).toMatchObject({ system: SPINE_ERRORS, version: '1', code });
    });

    it('audits every patient a search returns ([search] line 78)', async () => {
      const standard = patientOf('standard');
      const requestId = randomUUID();
      await get(search(standard), { 'X-Request-ID': requestId });
      const audit = (await (
        await fetch(`${gpsim.url}/__sim/audit?nhsNumber=${standard.nhsNumber}&surface=pds&limit=1000`)
      ).json()) as { events: { action: string; traceId?: string }[] };
      expect(audit.events).toContainEqual(expect.objectContaining({ action: 'search-patient', traceId: requestId }));
    });
  });
});
