import { setupServer } from 'msw/node';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { createInProcessGpsim } from '@gpsim/simulator/msw';
import type { InProcessGpsim } from '@gpsim/simulator/msw';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { backendToken, bearer } from '../support/tokens';
import { EmisClient, GpsimControl, SystmOneClient, discover } from '@gpsim/client';
import { gpConnectClientFor } from '../support/sdk-clients';

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

  describe('the same @gpsim/client calls return equal results', () => {
    /** Runs one SDK call against each base; volatile per-response values (ids, times) are normalised. */
    async function sdkBoth(call: (base: string) => Promise<unknown>): Promise<[string, string]> {
      const normalise = (base: string, value: unknown) =>
        JSON.stringify(value)
          .split(base)
          .join('BASE')
          .replace(/,\{"name":"s12","url":"BASE"\}|,\{"name":"s12","url":"http:\/\/127\.0\.0\.1:\d+"\}/, '')
          .replace(/"(lastUpdated|ExpiresAt)":"[^"]+"/g, '"$1":"TIME"')
          // The time of the response itself (a List's date), to the millisecond.
          .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/g, '"TIME"')
          .replace(/"(SessionId)":"[^"]+"/g, '"$1":"ID"')
          .replace(/"resourceType":"Bundle","id":"[^"]+"/g, '"resourceType":"Bundle","id":"ID"');
      const [real, inMemory] = await Promise.all([call(server.url), call(inProcess.baseUrl)]);
      return [normalise(server.url, real), normalise(inProcess.baseUrl, inMemory)];
    }
    const manifestOf = (base: string) => new GpsimControl({ baseUrl: base }).fixtures();
    const standardOf = async (base: string, system: 'systmone' | 'emis') => {
      const manifest = await manifestOf(base);
      const ods = manifest.practices.find((practice) => practice.system === system)?.ods;
      const patient = manifest.archetypes.find((archetype) => archetype.key === 'standard' && archetype.ods === ods);
      const practice = manifest.practices.find((candidate) => candidate.ods === ods);
      const partner = manifest.partners.find((candidate) => candidate.name === 'gpsim-demo');
      if (!patient || !practice || !partner) throw new Error('the estate lacks a standard patient or the demo partner');
      return { manifest, patient, practice, partner };
    };

    it('GpsimControl.fixtures', async () => {
      const [real, inMemory] = await sdkBoth(manifestOf);
      expect(inMemory).toBe(real);
    });

    it('GpConnectClient.findPatient and getStructuredRecord', async () => {
      const [real, inMemory] = await sdkBoth(async (base) => {
        const { manifest, patient, practice } = await standardOf(base, 'systmone');
        const client = gpConnectClientFor(manifest, practice);
        return [
          await client.findPatient(patient.nhsNumber),
          await client.getStructuredRecord({
            nhsNumber: patient.nhsNumber,
            allergies: { includeResolved: true },
            problems: { status: 'active' },
          }),
        ];
      });
      expect(inMemory).toBe(real);
      expect(real).toContain('"resourceType":"AllergyIntolerance"');
    });

    it('SystmOneClient.patientSearch over HTTP', async () => {
      const [real, inMemory] = await sdkBoth(async (base) => {
        const { manifest, patient, practice, partner } = await standardOf(base, 'systmone');
        const client = new SystmOneClient({
          carriage: { kind: 'http', baseUrl: manifest.endpoints.systmOne },
          ods: practice.ods,
          apiKey: partner.apiKey,
          deviceId: partner.deviceId,
        });
        return (await client.patientSearch({ NhsNumber: patient.nhsNumber })).response;
      });
      expect(inMemory).toBe(real);
    });

    it('EmisClient.getMatchedPatient', async () => {
      const [real, inMemory] = await sdkBoth(async (base) => {
        const { manifest, patient, practice, partner } = await standardOf(base, 'emis');
        const client = new EmisClient({
          baseUrl: manifest.endpoints.emis,
          clientId: partner.clientId,
          clientSecret: partner.clientSecret,
          organisationId: practice.ods,
        });
        return client.getMatchedPatient({ NhsNumber: patient.nhsNumber });
      });
      expect(inMemory).toBe(real);
    });

    it('launch discover', async () => {
      const [real, inMemory] = await sdkBoth(async (base) => discover((await manifestOf(base)).endpoints.fhirR4));
      expect(inMemory).toBe(real);
    });
  });

  it('journals in-process requests like the server does', async () => {
    await fetch(`${inProcess.baseUrl}/__sim/health`, { headers: { 'X-Request-ID': 'in-process-trace' } });
    const entries = inProcess.engine.journal.list({ limit: 5 });
    expect(entries.some((entry) => entry.traceId === 'in-process-trace' && entry.status === 200)).toBe(true);
  });
});
