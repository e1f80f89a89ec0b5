import { setupServer } from 'msw/node';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { createInProcessGpsim } from '@gpsim/simulator/msw';
import type { InProcessGpsim } from '@gpsim/simulator/msw';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { backendToken, bearer } from '../support/tokens';

/**
 * In-process mode: msw handlers built from the same engine answer exactly as the server does.
 * Bodies differ only by the base URL each was addressed at, so that is normalised before comparing.
 */
describe('in-process mode (msw) and the server give the same answers', () => {
  let server: RunningGpsim;
  let inProcess: InProcessGpsim;
  const msw = setupServer();
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    server = await startTestGpsim(smallEstate);
    inProcess = createInProcessGpsim({ ...smallEstate, baseUrl: 'http://gpsim.test' });
    msw.use(...inProcess.handlers);
    msw.listen({ onUnhandledRequest: 'bypass' });
    // Each engine signs with its own keys, so each base gets its own token.
    for (const base of [server.url, inProcess.baseUrl]) tokens.set(base, await backendToken(base));
  });
  afterAll(async () => {
    msw.close();
    await inProcess.close();
    await server.close();
  });

  async function both(
    path: string,
    init?: RequestInit,
  ): Promise<[{ status: number; body: string }, { status: number; body: string }]> {
    const read = async (base: string) => {
      const response = await fetch(`${base}${path}`, { ...init, headers: bearer(tokens.get(base) ?? '') });
      return { status: response.status, body: (await response.text()).split(base).join('BASE') };
    };
    return Promise.all([read(server.url), read(inProcess.baseUrl)]);
  }

  it.each([
    '/__sim/fixtures',
    '/__sim/practices',
    '/fhir/R4/metadata',
    '/fhir/R4/Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|nobody',
    '/__sim/nowhere',
    '/fhir/R4/Patient/not-an-id',
  ])('GET %s', async (path) => {
    const [real, inMemory] = await both(path);
    expect(inMemory.status).toBe(real.status);
    // The manifest lists the backup node only where one listens; compare the rest.
    const normalise = (text: string) => text.replace(/,\{"name":"s12","url":"http:\/\/127\.0\.0\.1:\d+"\}/, '');
    expect(normalise(inMemory.body)).toBe(normalise(real.body));
  });

  it('reads the same patient record through the UK Core face', async () => {
    const nhsNumber = inProcess.engine.population.patientAt(inProcess.engine.population.practices[0]!, 0)!.nhsNumber;
    const search = `/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`;
    const [real, inMemory] = await both(search);
    expect(real.status).toBe(200);
    expect(inMemory.body).toBe(real.body);
    const id = (JSON.parse(real.body) as { entry: { resource: { id: string } }[] }).entry[0]?.resource.id;
    const [realConditions, memoryConditions] = await both(`/fhir/R4/Condition?patient=${id}`);
    expect(memoryConditions.body).toBe(realConditions.body);
  });

  it('serves the control API in-process: clock moves and resets apply to the in-process engine', async () => {
    const moved = await fetch(`${inProcess.baseUrl}/__sim/clock`, {
      method: 'POST',
      body: JSON.stringify({ set: '2030-05-01T10:00:00Z', freeze: true }),
    });
    expect(((await moved.json()) as { now: string }).now).toBe('2030-05-01T10:00:00.000Z');
    expect(inProcess.engine.clock.nowDate().toISOString()).toBe('2030-05-01T10:00:00.000Z');
    await fetch(`${inProcess.baseUrl}/__sim/reset`, { method: 'POST' });
    expect(Math.abs(inProcess.engine.clock.now() - Date.now())).toBeLessThan(5_000);
  });

  it('journals in-process requests like the server does', async () => {
    await fetch(`${inProcess.baseUrl}/__sim/health`, { headers: { 'X-Request-ID': 'in-process-trace' } });
    const entries = inProcess.engine.journal.list({ limit: 5 });
    expect(entries.some((entry) => entry.traceId === 'in-process-trace' && entry.status === 200)).toBe(true);
  });
});
