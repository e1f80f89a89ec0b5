import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { UnknownProviderStateError, applyProviderState } from '@gpsim/simulator/verify/provider-states';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const PACT = join(__dirname, '..', '..', 'fixtures', 'pacts', 'example-consumer-gpsim.json');

/** Pact provider verification (pact-foundation/pact-js Verifier): a consumer's pact replayed against gpsim. */
describe('Pact provider verification', () => {
  jest.setTimeout(60_000);
  let gpsim: RunningGpsim;
  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
  });
  afterAll(() => gpsim.close());

  const stateHandlers = (states: string[]) =>
    Object.fromEntries(states.map((state) => [state, () => applyProviderState(gpsim.url, state)]));

  it('honours the example consumer pact, provider states set through the control API', async () => {
    await expect(
      new Verifier({
        provider: 'gpsim',
        providerBaseUrl: gpsim.url,
        pactUrls: [PACT],
        logLevel: 'error',
        stateHandlers: stateHandlers(['gpsim is running', 'gpsim is reset', 'practice B82617 is in maintenance']),
      }).verifyProvider(),
    ).resolves.toBeDefined();
  });

  it('fails verification when gpsim breaks the pact (the verifier can fail)', async () => {
    const pact = join(mkdtempSync(join(tmpdir(), 'gpsim-pact-')), 'broken.json');
    writeFileSync(
      pact,
      JSON.stringify({
        consumer: { name: 'wrong-consumer' },
        provider: { name: 'gpsim' },
        interactions: [
          {
            description: 'a health check that expects the wrong status',
            providerState: 'gpsim is running',
            request: { method: 'GET', path: '/__sim/health' },
            response: { status: 200, body: { status: 'down' } },
          },
        ],
        metadata: { pactSpecification: { version: '2.0.0' } },
      }),
    );
    await expect(
      new Verifier({
        provider: 'gpsim',
        providerBaseUrl: gpsim.url,
        pactUrls: [pact],
        logLevel: 'error',
        stateHandlers: stateHandlers(['gpsim is running']),
      }).verifyProvider(),
    ).rejects.toThrow();
  });

  it('turns "practice {ODS} is in maintenance" into a fault rule that answers 503', async () => {
    await applyProviderState(gpsim.url, 'practice B82617 is in maintenance');
    expect((await fetch(`${gpsim.url}/B82617/STU3/1/gpconnect/metadata`)).status).toBe(503);
    await applyProviderState(gpsim.url, 'gpsim is reset');
    expect((await fetch(`${gpsim.url}/__sim/faults`).then((r) => r.json())) as unknown).toEqual({ rules: [] });
  });

  it('fails clearly on a state outside the vocabulary', async () => {
    await expect(applyProviderState(gpsim.url, 'the moon is blue')).rejects.toThrow(UnknownProviderStateError);
    await expect(applyProviderState(gpsim.url, 'the moon is blue')).rejects.toThrow(
      /gpsim understands: gpsim is running/,
    );
  });

  it('checks a patient state against the estate rather than inventing the patient', async () => {
    const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as {
      archetypes: { key: string; nhsNumber: string }[];
    };
    const sensitive = manifest.archetypes.find((entry) => entry.key === 'sensitive');
    await expect(
      applyProviderState(gpsim.url, `patient ${sensitive?.nhsNumber} is sensitive`),
    ).resolves.toBeUndefined();
    await expect(applyProviderState(gpsim.url, `patient ${sensitive?.nhsNumber} is deceased`)).rejects.toThrow(
      /has no deceased patient/,
    );
  });
});
