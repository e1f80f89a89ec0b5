import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { pactVerifyCommand, providerStatesOf } from '@gpsim/simulator/verify/pact-verify';
import { parseProviderState } from '@gpsim/simulator/verify/provider-states';
import { VerifySetupError } from '@gpsim/simulator/verify/runner';
import { requireBuiltCli, runCli } from '../support/cli';
import { smallEstate, startTestGpsim } from '../support/gpsim';

const EXAMPLE = resolve(__dirname, '..', '..', 'client-sdk', 'examples', 'pact-consumer.mjs');
const silent = { write: () => true } as unknown as NodeJS.WritableStream;

type Pact = { interactions: { description: string; response: { status: number } }[] };

/**
 * The example consumer (client-sdk/examples/pact-consumer.mjs) writes a pact with
 * @pact-foundation/pact's PactV3 mock server against GpConnectClient; gpsim then verifies it as the
 * provider with `gpsim pact-verify`, its provider states taken from the documented vocabulary.
 */
describe('example consumer pact, verified by gpsim', () => {
  jest.setTimeout(120_000);
  let gpsim: RunningGpsim;
  let pactDir: string;
  let pactFile: string;

  beforeAll(async () => {
    requireBuiltCli();
    gpsim = await startTestGpsim(smallEstate);
    pactDir = mkdtempSync(join(tmpdir(), 'gpsim-consumer-pact-'));
    const { stdout } = await promisify(execFile)(process.execPath, [EXAMPLE, pactDir], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({
      fhirVersion: '3.0.1',
      found: 1,
      maintenance: 503,
    });
    const files = readdirSync(pactDir);
    expect(files).toEqual(['gpsim-example-consumer-gpsim.json']);
    pactFile = join(pactDir, files[0] ?? '');
  });
  afterAll(() => gpsim.close());

  const pactCopy = (change: (pact: Pact) => void): string => {
    const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as Pact;
    change(pact);
    const file = join(mkdtempSync(join(tmpdir(), 'gpsim-consumer-pact-')), 'changed.json');
    writeFileSync(file, JSON.stringify(pact));
    return file;
  };

  it('records interactions whose provider states are all in gpsim vocabulary', () => {
    const states = providerStatesOf(JSON.parse(readFileSync(pactFile, 'utf8')));
    expect(states.sort()).toEqual([
      'gpsim is running',
      'patient 9995290103 is standard',
      'practice X84865 is in maintenance',
    ]);
    for (const state of states) expect(() => parseProviderState(state)).not.toThrow();
  });

  it('passes `gpsim pact-verify` against gpsim (exit 0)', async () => {
    const run = await runCli(['pact-verify', '--pact', pactDir, '--target', gpsim.url]);
    expect(run.stderr).toContain('every interaction matched');
    expect(run.code).toBe(0);
  });

  it('needs the fresh audit JWT pact-verify mints: the recorded example token alone is refused', async () => {
    const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as {
      interactions: {
        providerStates?: { name: string }[];
        request: { path: string; headers: Record<string, string> };
      }[];
    };
    const metadata = pact.interactions.find((entry) => entry.providerStates?.[0]?.name === 'gpsim is running');
    const reply = await fetch(`${gpsim.url}${metadata?.request.path ?? ''}`, { headers: metadata?.request.headers });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
  });

  it('fails when gpsim does not answer as the pact says (the verification can fail)', async () => {
    const broken = pactCopy((pact) => {
      const maintenance = pact.interactions.find((entry) => /maintenance/.test(entry.description));
      if (maintenance) maintenance.response.status = 200;
    });
    expect(await pactVerifyCommand({ pact: broken, target: gpsim.url }, silent)).toBe(1);
  });

  it('applies every state an interaction names, not only the last (one reset per interaction)', async () => {
    const combined = pactCopy((pact) => {
      const maintenance = pact.interactions.find((entry) => /maintenance/.test(entry.description)) as unknown as {
        providerStates: { name: string }[];
      };
      // The patient state comes second: were each state to reset, the maintenance rule would be gone.
      maintenance.providerStates = [...maintenance.providerStates, { name: 'patient 9995290103 is standard' }];
    });
    expect(await pactVerifyCommand({ pact: combined, target: gpsim.url }, silent)).toBe(0);
    expect(((await (await fetch(`${gpsim.url}/__sim/faults`)).json()) as { rules: unknown[] }).rules).toEqual([]);
  });

  it('refuses a pact naming a state outside the vocabulary before replaying anything', async () => {
    const unknown = pactCopy((pact) => {
      (pact.interactions[0] as unknown as { providerStates: { name: string }[] }).providerStates = [
        { name: 'the practice is having a good day' },
      ];
    });
    const attempt = pactVerifyCommand({ pact: unknown, target: gpsim.url }, silent);
    await expect(attempt).rejects.toThrow(VerifySetupError);
    await expect(attempt).rejects.toThrow(
      /unknown provider state "the practice is having a good day"; gpsim understands/,
    );
  });
});
