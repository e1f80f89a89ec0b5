import { control } from '@gpsim/contracts';
import { GpsimApiError, GpsimControl } from '@gpsim/client';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

describe('control API /__sim', () => {
  let gpsim: RunningGpsim;
  let client: GpsimControl;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    client = new GpsimControl({ baseUrl: gpsim.url });
  });
  afterAll(() => gpsim.close());

  it('reports health with version, seed, store and uptime', async () => {
    const health = control.Health.parse(await client.health());
    expect(health).toMatchObject({ status: 'ok', seed: 'gpsim', store: 'memory', node: 's11' });
  });

  it('answers on the backup node s12 over the same estate', async () => {
    const response = await fetch(`${gpsim.backupUrl}/__sim/health`);
    expect(((await response.json()) as control.Health).node).toBe('s12');
  });

  it('serves the manifest: nodes, practices with service roots, archetypes, users, consumers', async () => {
    const manifest = control.Manifest.parse(await client.fixtures());
    expect(manifest.nodes.map((node) => node.name)).toEqual(['s11', 's12']);
    expect(manifest.nodes[0]?.url).toBe(gpsim.url);
    expect(manifest.practices).toHaveLength(7);
    // One page holds the whole default estate, so its manifest is not paged.
    expect(manifest.page).toBeUndefined();
    const practice = manifest.practices[0];
    expect(practice?.serviceRoots.gpconnect).toBe(`${gpsim.url}/${practice?.ods}/STU3/1/gpconnect`);
    expect(practice?.serviceRoots.structured).toBe(`${gpsim.url}/${practice?.ods}/STU3/1/gpconnect/structured`);
    expect(practice?.serviceRoots.documents).toBe(`${gpsim.url}/${practice?.ods}/STU3/1/gpconnect/documents`);
    expect(manifest.archetypes).toHaveLength(7 * 14);
    expect(new Set(manifest.archetypes.map((a) => a.key)).size).toBe(14);
    expect(manifest.users.some((user) => user.role === 'gp')).toBe(true);
    expect(manifest.consumers.map((consumer) => consumer.asid)).toContain('200000000359');
  });

  it('moves the clock: advance by an ISO duration, set, freeze, and reset to wall time', async () => {
    const before = Date.parse((await client.clock()).now);
    const advanced = await client.moveClock({ advance: 'P30D' });
    expect(Date.parse(advanced.now) - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 5_000);
    const set = await client.moveClock({ set: '2030-01-01T09:00:00Z', freeze: true });
    expect(set).toMatchObject({ now: '2030-01-01T09:00:00.000Z', frozen: true });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await client.clock()).now).toBe('2030-01-01T09:00:00.000Z');
    const back = await client.moveClock({ reset: true });
    expect(back.frozen).toBe(false);
    expect(Math.abs(Date.parse(back.now) - Date.now())).toBeLessThan(5_000);
  });

  it('resets to the seed state well under a second, optionally with a new seed', async () => {
    await client.moveClock({ advance: 'P1D' });
    const result = await client.reset();
    expect(result.status).toBe('reset');
    expect(result.tookMs).toBeLessThan(1000);
    expect(Math.abs(Date.parse((await client.clock()).now) - Date.now())).toBeLessThan(5_000);
    const first = (await client.fixtures()).practices[0]?.ods;
    await client.reset({ seed: 'another-seed' });
    const manifest = await client.fixtures();
    expect(manifest.seed).toBe('another-seed');
    expect(manifest.practices[0]?.ods).not.toBe(first);
    await client.reset({ seed: 'gpsim' });
    expect((await client.fixtures()).practices[0]?.ods).toBe(first);
  });

  it('journals every request with surface, status, latency and trace id', async () => {
    const { lastSeq } = await client.journal({ limit: 1 });
    await fetch(`${gpsim.url}/__sim/health`, {
      headers: { 'X-Request-ID': 'trace-journal-1', 'X-Client-Id': 'journal-test' },
    });
    await fetch(`${gpsim.url}/__sim/nowhere`);
    const page = control.JournalPage.parse(await client.journal({ since: lastSeq }));
    const health = page.entries.find((entry) => entry.traceId === 'trace-journal-1');
    expect(health).toMatchObject({
      surface: 'control',
      method: 'GET',
      path: '/__sim/health',
      status: 200,
      clientId: 'journal-test',
      node: 's11',
    });
    expect(page.entries.some((entry) => entry.path === '/__sim/nowhere' && entry.status === 404)).toBe(true);
    const notFound = await client.journal({ since: lastSeq, status: '4xx' });
    expect(notFound.entries.every((entry) => entry.status >= 400 && entry.status < 500)).toBe(true);
  });

  describe('practice switches /__sim/practices', () => {
    it('lists every practice with GP Connect and each capability on by default', async () => {
      const body = (await (await fetch(`${gpsim.url}/__sim/practices`)).json()) as {
        practices: control.PracticeSummary[];
      };
      expect(body.practices).toHaveLength(7);
      for (const practice of body.practices) {
        const settings = control.PracticeSummary.parse(practice).settings;
        expect(settings.gpconnect).toMatchObject({
          enabled: true,
          foundations: true,
          appointments: true,
          structured: true,
          documents: true,
        });
        expect(Object.values(settings.gpconnect.clinicalAreas).every(Boolean)).toBe(true);
      }
    });

    it('patches part of the settings, keeps the rest, and a reset restores the defaults', async () => {
      const ods = (await client.fixtures()).practices[1]?.ods as string;
      const patch = (body: unknown) =>
        fetch(`${gpsim.url}/__sim/practices/${ods}`, { method: 'PATCH', body: JSON.stringify(body) });
      await patch({ gpconnect: { structured: false, clinicalAreas: { problems: false } } });
      const after = control.PracticeSummary.parse(
        await (await patch({ gpconnect: { clinicalAreas: { referrals: false } } })).json(),
      );
      expect(after.settings.gpconnect).toMatchObject({ enabled: true, structured: false });
      expect(after.settings.gpconnect.clinicalAreas).toMatchObject({
        problems: false,
        referrals: false,
        allergies: true,
      });
      await client.reset();
      const reset = control.PracticeSummary.parse(await (await fetch(`${gpsim.url}/__sim/practices/${ods}`)).json());
      expect(reset.settings.gpconnect.structured).toBe(true);
    });

    it('refuses unknown practices (404) and unknown switches (400 naming them)', async () => {
      expect((await fetch(`${gpsim.url}/__sim/practices/Z99999`)).status).toBe(404);
      const ods = (await client.fixtures()).practices[0]?.ods as string;
      const response = await fetch(`${gpsim.url}/__sim/practices/${ods}`, {
        method: 'PATCH',
        body: JSON.stringify({ gpconnect: { clinicalAreas: { astrology: false } } }),
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toMatch(/astrology/);
    });
  });

  describe('errors are JSON {error:{code,message}} with a 4xx, never a stack trace', () => {
    async function expectError(response: Response, status: number, code: string): Promise<control.ControlError> {
      expect(response.status).toBe(status);
      const body = control.ControlError.parse(await response.json());
      expect(body.error.code).toBe(code);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
      return body;
    }

    it('unknown path: 404 pointing to the manifest', async () => {
      await expectError(await fetch(`${gpsim.url}/__sim/nowhere`), 404, 'not_found');
    });

    it('wrong method: 405', async () => {
      await expectError(await fetch(`${gpsim.url}/__sim/health`, { method: 'DELETE' }), 405, 'method_not_allowed');
    });

    it('malformed JSON body: 400', async () => {
      await expectError(
        await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: '{"advance":' }),
        400,
        'invalid_request',
      );
    });

    it('bad clock change names the field', async () => {
      const body = await expectError(
        await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'thirty days' }) }),
        400,
        'invalid_parameter',
      );
      expect(body.error.field).toBe('advance');
    });

    it('unknown field in a body: 400 naming it', async () => {
      const body = await expectError(
        await fetch(`${gpsim.url}/__sim/reset`, { method: 'POST', body: JSON.stringify({ sede: 'x' }) }),
        400,
        'invalid_request',
      );
      expect(body.error.message).toMatch(/sede/);
    });

    it('empty clock change: 400 saying what to send', async () => {
      const body = await expectError(
        await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: '{}' }),
        400,
        'invalid_request',
      );
      expect(body.error.message).toMatch(/set, advance, freeze or reset/);
    });

    it('bad journal query parameters: 400 naming them', async () => {
      for (const query of ['limit=0', 'limit=abc', 'surface=nope', 'status=7xx', 'since=yesterday']) {
        const body = await expectError(await fetch(`${gpsim.url}/__sim/journal?${query}`), 400, 'invalid_parameter');
        expect(body.error.field).toBe(query.split('=')[0]);
      }
    });

    it('oversized body: 413 without reading it all', async () => {
      const response = await fetch(`${gpsim.url}/__sim/reset`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
      await expectError(response, 413, 'payload_too_large');
    });

    it('client errors through the SDK carry status and code', async () => {
      const bad = new GpsimControl({ baseUrl: gpsim.url });
      const error = await bad.moveClock({ advance: 'soon' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GpsimApiError);
      expect(error).toMatchObject({ surface: 'control', status: 400, code: 'invalid_parameter', retryable: false });
    });
  });
});
