import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { GpcCall, GpcReply, ManifestPractice } from '../support/gpconnect';
import { INTERACTION, gpcClient, jwtClaims, spineCode } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/**
 * $gpc.migratestructuredrecord (GPC accessrecord_structured_development_migrate_patient_record.md;
 * reference/domain.md §1.7 "Migrate", §1.4 reason_for_request / requested_scope conf/N|conf/R).
 * The spec's "Legitimate relationship": the new practice registers the patient on PDS, then migrates;
 * the provider checks the JWT requesting_organization against PDS. The test JWT's organisation is A1001.
 */
const REQUESTER = 'A1001';
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
type Resource = { resourceType: string; id?: string; [element: string]: unknown };

const migration = (scope = 'patient/*.read conf/N') => ({ ...jwtClaims(scope), reason_for_request: 'migration' });
const body = (nhsNumber: string, ...rest: unknown[]) => ({
  resourceType: 'Parameters',
  parameter: [{ name: 'patientNHSNumber', valueIdentifier: { system: NHS, value: nhsNumber } }, ...rest],
});
const full = (sensitive: boolean) => ({
  name: 'includeFullRecord',
  part: [{ name: 'includeSensitiveInformation', valueBoolean: sensitive }],
});
const resources = (reply: GpcReply) =>
  ((reply.body['entry'] as { resource: Resource }[] | undefined) ?? []).map((entry) => entry.resource);

describe('GP Connect $gpc.migratestructuredrecord', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let practice: ManifestPractice;
  let gpc: (call: GpcCall) => Promise<GpcReply>;
  const nhsOf = (key: string) => {
    const found = manifest.archetypes.find((candidate) => candidate.key === key && candidate.ods === practice.ods);
    if (!found) throw new Error(`no ${key} archetype at ${practice.ods}`);
    return found.nhsNumber;
  };
  const migrate = (parameters: unknown, call: Partial<GpcCall> = {}) =>
    gpc({
      method: 'POST',
      root: 'structured',
      path: '/Patient/$gpc.migratestructuredrecord',
      interaction: INTERACTION.migrateStructuredRecord,
      claims: migration(),
      body: parameters,
      ...call,
    });
  const patch = async (settings: unknown) => {
    const response = await fetch(`${gpsim.url}/__sim/practices/${practice.ods}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(settings),
    });
    expect(response.status).toBe(200);
  };

  const registerOnPds = async (nhsNumber: string, ods: string) => {
    const response = await fetch(`${gpsim.url}/__sim/patients/${nhsNumber}/pds-registration`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ods }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const pdsGeneralPractitioner = async (nhsNumber: string) => {
    const response = await fetch(`${gpsim.url}/spine/pds/FHIR/R4/Patient/${nhsNumber}`, {
      headers: { 'X-Request-ID': '60e0b220-8136-4ac5-a2e4-1c6a1e0f3d2b' },
    });
    const patient = (await response.json()) as { generalPractitioner?: { identifier: { value: string } }[] };
    return patient.generalPractitioner?.[0]?.identifier.value;
  };

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    practice = manifest.practices[0] as ManifestPractice;
    gpc = gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
    for (const key of ['standard', 'confidential-items']) {
      expect((await registerOnPds(nhsOf(key), REQUESTER)).status).toBe(200);
    }
  });

  describe('legitimate relationship (migrate_patient_record.md: requesting_organization = registered practice on PDS)', () => {
    it('answers 403 NO_RELATIONSHIP while PDS still names the holding practice', async () => {
      const nhsNumber = nhsOf('in-transit');
      expect(await pdsGeneralPractitioner(nhsNumber)).toBe(practice.ods);
      const reply = await migrate(body(nhsNumber, full(false)));
      expect(reply.status).toBe(403);
      expect(spineCode(reply)).toBe('NO_RELATIONSHIP');
    });

    it('migrates once the requesting organisation is the registered practice on PDS, and PDS shows it', async () => {
      const nhsNumber = nhsOf('in-transit');
      const moved = await registerOnPds(nhsNumber, REQUESTER.toLowerCase());
      expect(moved).toEqual({
        status: 200,
        body: { nhsNumber, ods: REQUESTER, holdingOds: practice.ods, moved: true },
      });
      expect(await pdsGeneralPractitioner(nhsNumber)).toBe(REQUESTER);
      expect((await migrate(body(nhsNumber, full(false)))).status).toBe(200);
    });

    it('answers 403 NO_RELATIONSHIP to another organisation after the move', async () => {
      const other = {
        resourceType: 'Organization',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B2002' }],
        name: 'Another Test Practice',
      };
      const reply = await migrate(body(nhsOf('standard'), full(false)), {
        claims: { ...migration(), requesting_organization: other },
      });
      expect(reply.status).toBe(403);
      expect(spineCode(reply)).toBe('NO_RELATIONSHIP');
    });

    it('checks consent before the relationship (a dissenting patient answers NO_PATIENT_CONSENT)', async () => {
      const reply = await migrate(body(nhsOf('dissent'), full(false)));
      expect(reply.status).toBe(403);
      expect(spineCode(reply)).toBe('NO_PATIENT_CONSENT');
    });

    it('refuses a PDS registration that is not an ODS code (400)', async () => {
      expect((await registerOnPds(nhsOf('standard'), 'not an ods code')).status).toBe(400);
    });

    it('is undone by a reset', async () => {
      const nhsNumber = nhsOf('in-transit');
      await registerOnPds(nhsNumber, REQUESTER);
      const reset = await fetch(`${gpsim.url}/__sim/reset`, { method: 'POST' });
      expect(reset.status).toBe(200);
      try {
        expect(await pdsGeneralPractitioner(nhsNumber)).toBe(practice.ods);
      } finally {
        for (const key of ['standard', 'confidential-items']) await registerOnPds(nhsOf(key), REQUESTER);
      }
    });
  });
  afterAll(() => gpsim.close());

  it('returns every clinical area with includeFullRecord (one List per area, migrate "Full record")', async () => {
    const reply = await migrate(body(nhsOf('standard'), full(false)));
    expect(reply.status).toBe(200);
    expect(reply.body['type']).toBe('collection');
    const lists = resources(reply).filter((resource) => resource.resourceType === 'List');
    expect(lists.length).toBeGreaterThanOrEqual(9);
    expect(resources(reply).some((resource) => resource.resourceType === 'Patient')).toBe(true);
  });

  it('returns no clinical information without includeFullRecord', async () => {
    const reply = await migrate(body(nhsOf('standard')));
    expect(reply.status).toBe(200);
    const types = new Set(resources(reply).map((resource) => resource.resourceType));
    expect(types.has('Patient')).toBe(true);
    expect(types.has('List')).toBe(false);
  });

  it('works with the structured capability and every clinical area switched off ("Availability of data")', async () => {
    await patch({ gpconnect: { structured: false, clinicalAreas: { problems: false, medication: false } } });
    try {
      const migrated = await migrate(body(nhsOf('standard'), full(false)));
      expect(migrated.status).toBe(200);
      expect(JSON.stringify(migrated.body)).not.toContain('has been disabled');
      const direct = await gpc({
        method: 'POST',
        root: 'structured',
        path: '/Patient/$gpc.getstructuredrecord',
        interaction: INTERACTION.getStructuredRecord,
        body: body(nhsOf('standard'), { name: 'includeMedication' }),
      });
      expect(direct.status).toBe(403);
    } finally {
      await patch({ gpconnect: { structured: true, clinicalAreas: { problems: true, medication: true } } });
    }
  });

  it('includes confidential items with includeSensitiveInformation true and scope conf/R', async () => {
    const nhsNumber = nhsOf('confidential-items');
    const withheld = await migrate(body(nhsNumber, full(false)));
    const included = await migrate(body(nhsNumber, full(true)), { claims: migration('patient/*.read conf/R') });
    expect(included.status).toBe(200);
    expect(resources(included).length).toBeGreaterThan(resources(withheld).length);
    expect(JSON.stringify(withheld.body)).toContain('confidential-items');
  });

  it('answers 400 CONFLICTING_VALUES for includeSensitiveInformation true under conf/N', async () => {
    const reply = await migrate(body(nhsOf('standard'), full(true)));
    expect(reply.status).toBe(400);
    expect(spineCode(reply)).toBe('CONFLICTING_VALUES');
  });

  it.each([
    ['patientNHSNumber missing', () => ({ resourceType: 'Parameters', parameter: [full(false)] })],
    ['an unrecognised parameter', (n: string) => body(n, full(false), { name: 'includeAllergies' })],
    ['includeFullRecord without its part', (n: string) => body(n, { name: 'includeFullRecord' })],
    [
      'includeSensitiveInformation without a value',
      (n: string) => body(n, { name: 'includeFullRecord', part: [{ name: 'includeSensitiveInformation' }] }),
    ],
  ])('answers 422 INVALID_PARAMETER for %s (migrate error table)', async (_name, parameters) => {
    const reply = await migrate(parameters(nhsOf('standard')));
    expect(reply.status).toBe(422);
    expect(spineCode(reply)).toBe('INVALID_PARAMETER');
  });

  it('answers 400 BAD_REQUEST when reason_for_request is directcare (migration only, §1.4)', async () => {
    const reply = await migrate(body(nhsOf('standard'), full(false)), { claims: jwtClaims('patient/*.read') });
    expect(reply.status).toBe(400);
    expect(spineCode(reply)).toBe('BAD_REQUEST');
  });

  it('answers 404 PATIENT_NOT_FOUND for a sensitive patient', async () => {
    const reply = await migrate(body(nhsOf('sensitive'), full(false)));
    expect(reply.status).toBe(404);
    expect(spineCode(reply)).toBe('PATIENT_NOT_FOUND');
  });

  it('lists the operation in the structured CapabilityStatement', async () => {
    const reply = await gpc({
      root: 'structured',
      path: '/metadata',
      interaction: INTERACTION.structuredMetadata,
      scope: 'organization/*.read',
    });
    expect(JSON.stringify(reply.body)).toContain('gpc.migratestructuredrecord');
  });
});
