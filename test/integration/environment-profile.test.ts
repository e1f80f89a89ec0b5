import { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import type { ManifestPractice } from '../support/gpconnect';
import { INTERACTION, gpcClient, jwtClaims, spineCode } from '../support/gpconnect';
import { clientIntegrationRequest, errorCode, postClientIntegration } from '../support/systmone';

type Partner = control.Manifest['partners'][number];

const metadataCall = (aud: string) => ({
  path: '/metadata',
  interaction: INTERACTION.metadata,
  claims: { ...jwtClaims('organization/*.read'), aud },
});

/** Issue 7 "Environment profiles": `--profile integration` rehearses the supplier's path-to-live rules. */
describe('the integration environment profile', () => {
  let gpsim: RunningGpsim;
  let manifest: control.Manifest;
  let practice: ManifestPractice;
  let asid: string;
  /** The provider's service root URL: the only JWT aud the live environment accepts (domain.md §1.4). */
  let serviceRoot: string;

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, profile: 'integration', rateLimit: 5 });
    manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    practice = manifest.practices[0] as ManifestPractice;
    asid = (manifest.consumers[0] as { asid: string }).asid;
    serviceRoot = practice.serviceRoots.gpconnect.replace(/\/gpconnect$/, '');
  });
  afterAll(() => gpsim.close());

  const viaSsp = () =>
    gpcClient(
      {
        ...practice,
        serviceRoots: {
          ...practice.serviceRoots,
          gpconnect: `${manifest.endpoints.ssp}/${practice.serviceRoots.gpconnect}`,
        },
      },
      asid,
    );
  /** The rate limit is per second: start each case in a fresh window. */
  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_050));

  it('refuses GP Connect sent straight to the provider, and says the live environment requires the SSP (domain.md §1: providers only accept connections from the SSP)', async () => {
    await nextSecond();
    const reply = await gpcClient(practice, asid)(metadataCall(serviceRoot));
    expect(reply.status).toBe(403);
    expect(JSON.stringify(reply.body)).toMatch(/Spine Secure Proxy/);
  });

  it('accepts GP Connect through the SSP with a registered consumer ASID and the service root as JWT aud', async () => {
    await nextSecond();
    const reply = await viaSsp()(metadataCall(serviceRoot));
    expect(reply.status).toBe(200);
  });

  it('refuses a JWT whose aud is not the provider service root (strict audience), naming the expected URL', async () => {
    await nextSecond();
    const reply = await viaSsp()(metadataCall('https://providersupplier.thirdparty.nhs.uk/GP0001/STU3/1'));
    expect(reply.status).toBe(400);
    expect(spineCode(reply)).toBeDefined();
    expect(JSON.stringify(reply.body)).toContain(serviceRoot);
  });

  it('limits each application to the configured requests per second, then 429 with Retry-After (API platform default 5 TPS, domain.md rate limits)', async () => {
    await nextSecond();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': 'busy-app' } });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.text()).toMatch(/per second/);
      }
    }
    expect(statuses.slice(0, 5).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another application has its own quota.
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': 'quiet-app' } })).status).toBe(
      200,
    );
  });
});

describe('the integration profile partner allow-list (go-live guide "IP ranges and whitelisting")', () => {
  let gpsim: RunningGpsim;

  beforeAll(async () => {
    gpsim = await startTestGpsim({ ...smallEstate, profile: 'integration', partnerAllowList: ['10.9.8.7'] });
  });
  afterAll(() => gpsim.close());

  it('refuses partner API traffic from an address not on the allow-list, saying the supplier must whitelist it', async () => {
    const manifest = control.Manifest.parse(await (await fetch(`${gpsim.url}/__sim/fixtures`)).json());
    const demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
    const ods = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
    const nhsNumber = manifest.archetypes.find((a) => a.ods === ods && a.key === 'standard')?.nhsNumber as string;
    const { status, text, xml } = await postClientIntegration(
      gpsim.url,
      ods,
      clientIntegrationRequest({
        partner: demo,
        fn: 'PatientSearch',
        parameters: `<NhsNumber>${nhsNumber}</NhsNumber>`,
      }),
    );
    expect(status).toBe(403);
    expect(errorCode(xml)).toBeDefined();
    expect(text).toMatch(/allow-list/);
  });

  it('the sandbox profile (default) lets the same request through', async () => {
    const sandbox = await startTestGpsim({ ...smallEstate, partnerAllowList: ['10.9.8.7'] });
    try {
      const manifest = control.Manifest.parse(await (await fetch(`${sandbox.url}/__sim/fixtures`)).json());
      const demo = manifest.partners.find((p) => p.name === 'gpsim-demo') as Partner;
      const ods = manifest.practices.find((p) => p.system === 'systmone')?.ods as string;
      const nhsNumber = manifest.archetypes.find((a) => a.ods === ods && a.key === 'standard')?.nhsNumber as string;
      const { status } = await postClientIntegration(
        sandbox.url,
        ods,
        clientIntegrationRequest({
          partner: demo,
          fn: 'PatientSearch',
          parameters: `<NhsNumber>${nhsNumber}</NhsNumber>`,
        }),
      );
      expect(status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});
