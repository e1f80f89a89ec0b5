import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artefactText, publishedArtefacts, publishedSurfaces } from '@gpsim/simulator/control/published-contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { gpsimVersion } from '@gpsim/simulator/main';
import { DEFAULT_ESTATE_SPEC } from '@gpsim/simulator/population/estate-generator';
import { Population } from '@gpsim/simulator/population/population';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const GENERATED = join(__dirname, '..', '..', 'contracts', 'generated');

describe('published contracts', () => {
  const artefacts = publishedArtefacts(gpsimVersion(), new Population(DEFAULT_ESTATE_SPEC).estate);

  it.each(Object.keys(artefacts))(
    'contracts/generated/%s matches what the contracts give (run "npm run contracts")',
    (file) => {
      expect(readFileSync(join(GENERATED, file), 'utf8')).toBe(artefactText(artefacts[file]));
    },
  );

  it('publishes an OpenAPI 3.1 document for every HTTP surface gpsim verifies', () => {
    expect(publishedSurfaces).toEqual(
      expect.arrayContaining(['gpconnect', 'mesh', 'systmone', 'emis', 'smart', 'fhir-r4', 'pds', 'control']),
    );
    for (const surface of publishedSurfaces) {
      const document = artefacts[`openapi/${surface}.json`] as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    }
  });

  it('declares each GP Connect error as a GPConnect-OperationOutcome-1 with the Spine code enumeration (GPC 1.6 error handling)', () => {
    const at = (value: unknown, ...path: string[]): unknown =>
      path.reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);
    const coding = at(
      artefacts['openapi/gpconnect.json'],
      ...['paths', '/{ods}/STU3/1/gpconnect/Patient/{id}', 'get', 'responses', 'default', 'content'],
      ...['application/fhir+json', 'schema', 'properties', 'issue', 'items', 'properties', 'details'],
      ...['properties', 'coding', 'items', 'properties'],
    ) as { code: { enum: string[] }; system: { const: string } };
    expect(coding.code.enum).toEqual(expect.arrayContaining(['PATIENT_NOT_FOUND', 'ACCESS DENIED']));
    expect(coding.system.const).toBe('https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1');
  });

  it('publishes a CapabilityStatement per GP Connect capability for each GP system', () => {
    const names = Object.keys(artefacts).filter((file) => file.startsWith('capability-statements/'));
    expect(names).toHaveLength(8);
    for (const name of names) {
      expect(artefacts[name]).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '3.0.1' });
    }
  });

  describe('served by a running gpsim', () => {
    let gpsim: RunningGpsim;
    beforeAll(async () => {
      gpsim = await startTestGpsim(smallEstate);
    });
    afterAll(() => gpsim.close());

    it('serves /__sim/openapi/{surface}.json identical to the committed document', async () => {
      for (const surface of publishedSurfaces) {
        const response = await fetch(`${gpsim.url}/__sim/openapi/${surface}.json`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual(
          JSON.parse(readFileSync(join(GENERATED, 'openapi', `${surface}.json`), 'utf8')),
        );
      }
    });

    it('answers 404 not_found naming the published surfaces for an unknown one', async () => {
      const response = await fetch(`${gpsim.url}/__sim/openapi/nothing.json`);
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toContain('gpconnect');
    });

    it('serves a Scalar reference page and its bundle from gpsim itself, with no CDN', async () => {
      const page = await fetch(`${gpsim.url}/__sim/docs/gpconnect`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('data-url="/__sim/openapi/gpconnect.json"');
      expect(html).not.toMatch(/https?:\/\//);
      const bundle = await fetch(`${gpsim.url}/__sim/docs/assets/scalar.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    });
  });
});
