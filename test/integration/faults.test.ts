import { randomUUID } from 'node:crypto';
import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import type { RoutedRequest } from '@gpsim/simulator/transport/types';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { backendToken, bearer } from '../support/tokens';

interface Outcome {
  resourceType: string;
  issue: { code: string; details: { coding: { code: string }[] } }[];
}

/**
 * The fault engine over HTTP (issue 7): rules in /__sim/faults applied by one middleware to every
 * surface but the control API, rendered in each surface's own dialect.
 */
describe('fault rules (/__sim/faults)', () => {
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
    await fetch(`${gpsim.url}/__sim/faults`, { method: 'DELETE' });
    await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ reset: true }) });
  });

  const addRule = async (rule: unknown): Promise<string> => {
    const response = await fetch(`${gpsim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(rule) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const listRules = async (): Promise<control.FaultRuleView[]> =>
    ((await (await fetch(`${gpsim.url}/__sim/faults`)).json()) as { rules: control.FaultRuleView[] }).rules;

  const surfaces = [
    { surface: 'fhir-r4', path: () => '/fhir/R4/metadata', headers: () => ({}) },
    {
      surface: 'pds',
      path: () => `/spine/pds/FHIR/R4/Patient/${nhsNumber}`,
      headers: (): Record<string, string> => ({ 'X-Request-ID': randomUUID() }),
    },
  ] as const;

  describe.each(surfaces)('on the $surface surface', ({ surface, path, headers }) => {
    const call = (init: RequestInit = {}, base = gpsim.url) =>
      fetch(`${base}${path()}`, { ...init, headers: { ...headers(), ...(init.headers as Record<string, string>) } });
    const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      const started = performance.now();
      const result = await work();
      return [result, performance.now() - started];
    };

    it('status: answers the status with the surface OperationOutcome', async () => {
      await addRule({ match: { surface }, fault: { kind: 'status', status: 502 } });
      const response = await call();
      expect(response.status).toBe(502);
      expect(((await response.json()) as Outcome).resourceType).toBe('OperationOutcome');
    });

    it('rate-limit: lets the quota through with X-Rate-Limit-* headers, then 429 TOO_MANY_REQUESTS with Retry-After (SSP guide, domain.md §5.1)', async () => {
      await addRule({ match: { surface }, fault: { kind: 'rate-limit', limit: 1, windowS: 60 } });
      const first = await call();
      expect(first.status).toBe(200);
      expect(first.headers.get('x-rate-limit-limit')).toBe('1');
      expect(first.headers.get('x-rate-limit-remaining')).toBe('0');
      const second = await call();
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await second.json()) as Outcome).issue[0]?.details.coding[0]?.code).toBe('TOO_MANY_REQUESTS');
    });

    it('maintenance: 503 SERVICE_UNAVAILABLE with the Retry-After of the rule (domain.md §5.2)', async () => {
      await addRule({ match: { surface }, fault: { kind: 'maintenance', retryAfterS: 120 } });
      const response = await call();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('120');
      expect(((await response.json()) as Outcome).issue[0]?.details.coding[0]?.code).toBe('SERVICE_UNAVAILABLE');
    });

    it('latency: delays the answer by the fixed delay', async () => {
      await addRule({ match: { surface }, fault: { kind: 'latency', ms: 300 } });
      const [response, elapsed] = await timed(() => call());
      expect(response.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(290);
    });

    it('timeout: accepts the request and never answers', async () => {
      await addRule({ match: { surface }, fault: { kind: 'timeout' } });
      await expect(call({ signal: AbortSignal.timeout(400) })).rejects.toThrow();
    });

    it('reset: destroys the connection', async () => {
      await addRule({ match: { surface }, fault: { kind: 'reset' } });
      await expect(call()).rejects.toThrow();
    });

    it('truncate: announces the full length and cuts the body short', async () => {
      await addRule({ match: { surface }, fault: { kind: 'truncate', fraction: 0.5 } });
      const response = await call();
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
    });

    it('malformed: a success status over a body no JSON parser accepts', async () => {
      await addRule({ match: { surface }, fault: { kind: 'malformed' } });
      const response = await call();
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(() => JSON.parse(text) as unknown).toThrow();
    });

    it('dribble: sends the body slowly in small chunks', async () => {
      await addRule({ match: { surface }, fault: { kind: 'dribble', chunkBytes: 512, intervalMs: 20 } });
      const [text, elapsed] = await timed(async () => (await call()).text());
      expect(JSON.parse(text)).toBeDefined();
      expect(elapsed).toBeGreaterThanOrEqual(Math.floor(Buffer.byteLength(text) / 512) * 20 - 30);
    });

    it('network: the GPRS profile adds its 652 ms latency (Internet SystmOne guide table)', async () => {
      await addRule({ match: { surface }, fault: { kind: 'network', profile: 'gprs' } });
      const [text, elapsed] = await timed(async () => (await call()).text());
      expect(JSON.parse(text)).toBeDefined();
      expect(elapsed).toBeGreaterThanOrEqual(640);
    });

    it('X-Gpsim-Scenario: one request asks for a one-off fault, the next is untouched', async () => {
      const faulted = await call({ headers: { 'X-Gpsim-Scenario': 'unavailable' } });
      expect(faulted.status).toBe(503);
      expect((await call()).status).toBe(200);
    });
  });

  it('rejects an unknown X-Gpsim-Scenario with 400 listing the names', async () => {
    const response = await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Gpsim-Scenario': 'nope' } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('server-error');
  });

  it('never faults the control API, so a test can always clear what it set', async () => {
    await addRule({ fault: { kind: 'status', status: 500 } });
    expect((await fetch(`${gpsim.url}/__sim/health`)).status).toBe(200);
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(500);
  });

  it('times: fails the first N requests, then succeeds', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 }, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect((await listRules())[0]).toMatchObject({ matched: 4, hits: 2, active: false });
  });

  it('after: succeeds N requests, then fails', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 500 }, after: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status);
    expect(statuses).toEqual([200, 200, 500, 500]);
  });

  it('after and hit counts survive other rules being added (counters are kept in the store)', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 500 }, after: 2 });
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
    await addRule({ match: { surface: 'pds' }, fault: { kind: 'reset' } });
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(500);
    expect((await listRules())[0]).toMatchObject({ matched: 3, hits: 1 });
  });

  it('replays the same probability decisions for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const id = await addRule({
        match: { surface: 'fhir-r4' },
        fault: { kind: 'status', status: 500 },
        probability: 0.5,
        seed: 'ci-run-42',
      });
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status);
      await fetch(`${gpsim.url}/__sim/faults/${id}`, { method: 'DELETE' });
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('ttl: the rule reverts itself once the simulated clock passes it', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 }, ttl: 'PT30S' });
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(503);
    await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT31S' }) });
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
    expect(await listRules()).toEqual([]);
  });

  it('start and duration: the rule is active only inside its window on the simulated clock', async () => {
    await addRule({
      match: { surface: 'fhir-r4' },
      fault: { kind: 'status', status: 503 },
      start: 60_000,
      duration: 'PT5M',
    });
    const statusAfter = async (advance: string) => {
      await fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance }) });
      return (await fetch(`${gpsim.url}/fhir/R4/metadata`)).status;
    };
    expect(await statusAfter('PT0S')).toBe(200);
    expect(await statusAfter('PT61S')).toBe(503);
    expect(await statusAfter('PT5M')).toBe(200);
  });

  it('a rule follows the clock both ways: active after moving into its window, inactive after moving back out', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 }, start: 60_000 });
    const clock = (body: object) => fetch(`${gpsim.url}/__sim/clock`, { method: 'POST', body: JSON.stringify(body) });
    const status = async () => (await fetch(`${gpsim.url}/fhir/R4/metadata`)).status;
    expect(await status()).toBe(200);
    await clock({ advance: 'PT61S' });
    expect(await status()).toBe(503);
    await clock({ reset: true });
    expect(await status()).toBe(200);
    await clock({ advance: 'PT61S' });
    expect(await status()).toBe(503);
  });

  it('overlapping rules: the newest rule wins its stage, and a delay still applies to the error', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 500 } });
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'latency', ms: 200 } });
    await addRule({ match: { surface: 'fhir-r4', path: '/fhir/R4/*' }, fault: { kind: 'status', status: 503 } });
    const started = performance.now();
    const response = await fetch(`${gpsim.url}/fhir/R4/metadata`);
    expect(response.status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    const rules = await listRules();
    expect(rules.map((rule) => rule.hits)).toEqual([0, 1, 1]);
    expect(rules.map((rule) => rule.matched)).toEqual([1, 1, 1]);
  });

  it('matches on method, path pattern and client id', async () => {
    await addRule({
      match: { method: 'GET', path: '/fhir/R4/**', clientId: 'bad-client' },
      fault: { kind: 'status', status: 500 },
    });
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': 'bad-client' } })).status).toBe(
      500,
    );
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': 'good-client' } })).status).toBe(
      200,
    );
  });

  it.each([
    [{}, 'fault'],
    [{ fault: { kind: 'explode' } }, 'fault.kind'],
    [{ fault: { kind: 'latency' } }, 'fault.ms'],
    [{ fault: { kind: 'latency', dist: 'uniform', minMs: 10, maxMs: 5 } }, 'fault.maxMs'],
    [{ fault: { kind: 'status', status: 200 } }, 'fault.status'],
    [{ fault: { kind: 'status', status: 500, code: 'oops' } }, 'fault.code'],
    [{ fault: { kind: 'reset' }, probability: 2 }, 'probability'],
    [{ fault: { kind: 'reset' }, ttl: 'soon' }, 'ttl'],
    [{ fault: { kind: 'reset' }, start: 'PTXS' }, 'start'],
    [{ fault: { kind: 'reset' }, match: { surface: 'nowhere' } }, 'match.surface'],
    [{ fault: { kind: 'reset' }, match: { surface: 'control' } }, 'match.surface'],
    [{ fault: { kind: 'node-down', node: 's99' } }, 'fault.node'],
    [{ fault: { kind: 'reset' }, colour: 'red' }, 'colour'],
  ])('rejects a bad rule %j with 400 naming %s', async (body, field) => {
    const response = await fetch(`${gpsim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    const error = ((await response.json()) as control.ControlError).error;
    expect(error.field ?? error.message).toContain(field);
  });

  it('DELETE /__sim/faults/{id} removes one rule and answers 404 for an unknown id', async () => {
    const id = await addRule({ fault: { kind: 'reset' } });
    expect((await fetch(`${gpsim.url}/__sim/faults/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${gpsim.url}/__sim/faults/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await listRules()).toEqual([]);
  });

  it('spine-down: PDS answers 503 SERVICE_UNAVAILABLE with Retry-After until the rule goes (domain.md §5.2)', async () => {
    const id = await addRule({ fault: { kind: 'spine-down' } });
    const pds = () =>
      fetch(`${gpsim.url}/spine/pds/FHIR/R4/Patient/${nhsNumber}`, { headers: { 'X-Request-ID': randomUUID() } });
    const down = await pds();
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(gpsim.engine.spine.available).toBe(false);
    await fetch(`${gpsim.url}/__sim/faults/${id}`, { method: 'DELETE' });
    expect((await pds()).status).toBe(200);
    expect(gpsim.engine.spine.available).toBe(true);
  });

  it('node-down: the named node refuses connections while the other serves, and returns when the rule goes', async () => {
    const backup = gpsim.backupUrl as string;
    const id = await addRule({ fault: { kind: 'node-down', node: 's12' } });
    await expect(fetch(`${backup}/fhir/R4/metadata`)).rejects.toThrow();
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
    await fetch(`${gpsim.url}/__sim/faults/${id}`, { method: 'DELETE' });
    expect((await fetch(`${backup}/fhir/R4/metadata`)).status).toBe(200);
  });

  it('token-expiry: the R4 face refuses a valid token with 401 while the rule fires, then accepts it again', async () => {
    const token = await backendToken(gpsim.url);
    const read = () =>
      fetch(`${gpsim.url}/fhir/R4/Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|nobody`, {
        headers: bearer(token),
      });
    expect((await read()).status).toBe(200);
    const id = await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'token-expiry' }, times: 1 });
    const refused = await read();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect((await read()).status).toBe(200);
    await fetch(`${gpsim.url}/__sim/faults/${id}`, { method: 'DELETE' });
  });

  it('token-expiry: the hook tells the authorisation face which client must be treated as expired', async () => {
    await addRule({ match: { clientId: 'app-1' }, fault: { kind: 'token-expiry' }, times: 1 });
    const request = (clientId: string) =>
      ({
        method: 'GET',
        path: '/fhir/R4/Patient',
        headers: {},
        params: {},
        annotations: { clientId },
        node: 's11',
        surface: { name: 'fhir-r4' },
      }) as unknown as RoutedRequest;
    expect(await gpsim.engine.faults.tokenExpired(request('app-2'))).toBe(false);
    expect(await gpsim.engine.faults.tokenExpired(request('app-1'))).toBe(true);
    // times: 1 — the client's next token is good again, as after a re-authentication.
    expect(await gpsim.engine.faults.tokenExpired(request('app-1'))).toBe(false);
    // The rule never changes an HTTP response by itself.
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': 'app-1' } })).status).toBe(200);
  });

  it('a rule posted on one node applies on the other: rules live in the store', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 } });
    expect((await fetch(`${gpsim.backupUrl as string}/fhir/R4/metadata`)).status).toBe(503);
  });

  it('a reset clears every rule', async () => {
    await addRule({ fault: { kind: 'status', status: 500 } });
    await fetch(`${gpsim.url}/__sim/reset`, { method: 'POST' });
    expect(await listRules()).toEqual([]);
    expect((await fetch(`${gpsim.url}/fhir/R4/metadata`)).status).toBe(200);
  });

  it('1,000 concurrent requests each delayed 1 s finish in about 1 s while health answers promptly', async () => {
    await addRule({ match: { surface: 'fhir-r4' }, fault: { kind: 'latency', ms: 1000 } });
    const started = performance.now();
    const delayed = Array.from({ length: 1000 }, () =>
      fetch(`${gpsim.url}/fhir/R4/metadata`).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const healthStarted = performance.now();
    expect((await fetch(`${gpsim.url}/__sim/health`)).status).toBe(200);
    const healthMs = performance.now() - healthStarted;
    const statuses = await Promise.all(delayed);
    const elapsed = performance.now() - started;
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(healthMs).toBeLessThan(1000);
    // Serialised delays would take 1,000 s; a loaded CI machine still finishes within a few seconds.
    expect(elapsed).toBeLessThan(10_000);
  }, 20_000);
});

describe('shutdown with faults in flight', () => {
  it('closes promptly although a timeout fault holds a socket open and a delay is pending', async () => {
    const gpsim = await startTestGpsim(smallEstate);
    await fetch(`${gpsim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { path: '/fhir/R4/metadata' }, fault: { kind: 'timeout' } }),
    });
    await fetch(`${gpsim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { path: '/fhir/R4/Patient' }, fault: { kind: 'latency', ms: 60_000 } }),
    });
    const hung = fetch(`${gpsim.url}/fhir/R4/metadata`).catch(() => 'closed');
    const slow = fetch(`${gpsim.url}/fhir/R4/Patient`).catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await gpsim.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await hung).toBe('closed');
    expect(await slow).toBe('closed');
  });
});
