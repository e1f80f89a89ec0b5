import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/** Scenario presets (fixtures/scenarios/*.yaml): timelines of fault rules on the simulated clock. */
describe('scenario presets (/__sim/scenarios)', () => {
  let gpsim: RunningGpsim;
  let nhsNumber: string;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    const manifest = (await (await fetch(`${gpsim.url}/__sim/fixtures`)).json()) as control.Manifest;
    nhsNumber = manifest.archetypes.find((archetype) => archetype.key === 'standard')?.nhsNumber ?? '';
  });
  afterAll(async () => {
    await gpsim.close();
  });
  afterEach(async () => {
    await fetch(`${gpsim.backupUrl as string}/__sim/scenarios/stop`, { method: 'POST' });
    await fetch(`${gpsim.backupUrl as string}/__sim/clock`, { method: 'POST', body: JSON.stringify({ reset: true }) });
  });

  const start = (name: string, body: unknown = {}, base = gpsim.url) =>
    fetch(`${base}/__sim/scenarios/${name}/start`, { method: 'POST', body: JSON.stringify(body) });
  const advance = (by: string) =>
    fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: by }) });

  it('lists every preset the issue names, each with its real-world source', async () => {
    const { scenarios } = (await (await fetch(`${gpsim.url}/__sim/scenarios`)).json()) as {
      scenarios: control.ScenarioSummary[];
    };
    const names = scenarios.map((scenario) => scenario.name);
    for (const name of [
      'internet-systmone',
      'release-night',
      'national-outage',
      'dr-test',
      'ssp-throttling',
      'practice-overloaded',
      'primary-node-failure',
      'flaky-network',
      'network-lan-1gbe',
      'network-wifi',
      'network-3g',
      'network-bgan',
      'network-gprs',
    ]) {
      expect(names).toContain(name);
    }
    expect(scenarios.every((scenario) => scenario.source.length > 20 && !scenario.running)).toBe(true);
  });

  it('release-night: 503 with Retry-After to the end of the window, then slower requests, then normal', async () => {
    expect((await start('release-night')).status).toBe(201);
    const during = await fetch(`${gpsim.url}/fhir/R4/metadata`);
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(7000);
    await advance('PT2H1M');
    const slowStarted = performance.now();
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
    expect(performance.now() - slowStarted).toBeGreaterThan(100);
    await advance('PT30M');
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
  });

  it('internet-systmone: PDS is unreachable while it runs, and back once stopped', async () => {
    await start('internet-systmone');
    const pds = () =>
      fetch(`${gpsim.url}/spine/pds/FHIR/R4/Patient/${nhsNumber}`, { headers: { 'X-Request-ID': randomUUID() } });
    expect((await pds()).status).toBe(503);
    const list = (await (await fetch(`${gpsim.url}/__sim/scenarios`)).json()) as {
      scenarios: control.ScenarioSummary[];
    };
    expect(list.scenarios.find((scenario) => scenario.name === 'internet-systmone')?.running).toBe(true);
    const stopped = (await (await fetch(`${gpsim.url}/__sim/scenarios/stop`, { method: 'POST' })).json()) as {
      stopped: string[];
    };
    expect(stopped.stopped).toEqual(['internet-systmone']);
    expect((await pds()).status).toBe(200);
  });

  it('primary-node-failure: s11 refuses connections, s12 serves (and can stop the scenario), s11 returns', async () => {
    await start('primary-node-failure');
    await expect(fetch(`${gpsim.url}/fhir/R4/metadata`)).rejects.toThrow();
    const backup = gpsim.backupUrl as string;
    expect((await fetch(`${backup}/fhir/R4/metadata`)).status).toBe(200);
    await fetch(`${backup}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT5M' }) });
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
  });

  it('start overrides narrow every rule of the scenario (here: to another surface)', async () => {
    await start('practice-overloaded', { match: { surface: 'fhir-r4' }, seed: 'replay-1' });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status);
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);
  });

  it('answers 404 naming the presets for an unknown scenario and 400 for a bad override', async () => {
    const unknown = await start('nope');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('release-night');
    const bad = await start('release-night', { match: { colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as control.ControlError).error.field).toBe('match');
  });
});
