import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { GpcCall, GpcReply, ManifestPractice } from '../support/gpconnect';
import { INTERACTION, gpcClient, jwtClaims, spineCode } from '../support/gpconnect';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/**
 * `--strict` (GPSIM_STRICT): the JWT aud must be the provider service root (domain.md §1.4, GPC
 * integration_cross_organisation_audit_and_provenance.md); without it the legacy aud the official
 * test suite sends is accepted (domain.md §1.4, PT JwtConst.cs).
 */
async function start(strict: boolean) {
  const gpsim = await startTestGpsim({ ...smallEstate, strict });
  const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
  const practice = manifest.practices[0] as ManifestPractice;
  const gpc = gpcClient(practice, (manifest.consumers[0] as { asid: string }).asid);
  const withAud = (aud: string, call: Partial<GpcCall> = {}) =>
    gpc({
      path: '/metadata',
      interaction: INTERACTION.metadata,
      claims: { ...jwtClaims('organization/*.read'), aud },
      ...call,
    });
  return { gpsim, practice, withAud };
}

describe('GP Connect --strict JWT aud check', () => {
  const running: RunningGpsim[] = [];
  afterAll(async () => {
    for (const gpsim of running) await gpsim.close();
  });

  it('accepts any aud when not strict (the test suite sends https://authorize.fhir.nhs.net/token/)', async () => {
    const { gpsim, withAud } = await start(false);
    running.push(gpsim);
    expect((await withAud('https://authorize.fhir.nhs.net/token/')).status).toBe(200);
  });

  describe('when strict', () => {
    let practice: ManifestPractice;
    let withAud: (aud: string, call?: Partial<GpcCall>) => Promise<GpcReply>;
    beforeAll(async () => {
      const started = await start(true);
      running.push(started.gpsim);
      practice = started.practice;
      withAud = started.withAud;
    });

    it('accepts aud equal to the service root called', async () => {
      expect((await withAud(practice.serviceRoots.gpconnect)).status).toBe(200);
      const structured = await withAud(practice.serviceRoots.structured, {
        root: 'structured',
        interaction: INTERACTION.structuredMetadata,
      });
      expect(structured.status).toBe(200);
    });

    it.each([
      ['the legacy token endpoint', () => 'https://authorize.fhir.nhs.net/token/'],
      ['the root with a trailing slash', () => `${practice.serviceRoots.gpconnect}/`],
      ['another capability root', () => practice.serviceRoots.documents],
    ])('answers 400 BAD_REQUEST for aud = %s', async (_name, aud) => {
      const reply = await withAud(aud());
      expect(reply.status).toBe(400);
      expect(spineCode(reply)).toBe('BAD_REQUEST');
    });
  });
});
