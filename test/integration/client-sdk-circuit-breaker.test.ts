import type { control } from '@gpsim/contracts';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { GpsimApiError, GpsimControl, GpsimNetworkError, ResilientTransport } from '@gpsim/client';
import { smallEstate, startTestGpsim } from '../support/gpsim';
import { gpConnectClientFor } from '../support/sdk-clients';

/**
 * The client-level circuit breaker against a real gpsim on port 0: a fault rule makes one practice
 * answer 503; the breaker opens after its failure threshold, refuses without touching the server
 * while open (the rule's match count and the journal stay still), lets exactly one trial through
 * once its cool-down has passed, re-opens when the trial fails and closes when it succeeds.
 *
 * The cool-down is measured on the transport's injectable clock, moved by the test, so a stall of
 * this shared machine can neither end the open period early nor stretch the test.
 */
describe('@gpsim/client circuit breaker against a running gpsim', () => {
  const coolDownMs = 2_000;
  let gpsim: RunningGpsim;
  let sim: GpsimControl;
  let manifest: control.Manifest;
  let now: number;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
    sim = new GpsimControl({ baseUrl: gpsim.url });
    manifest = await sim.fixtures();
  });
  afterAll(() => gpsim.close());

  const practice = () =>
    manifest.practices.find((candidate) => candidate.system === 'systmone') as control.Manifest['practices'][number];
  const patient = () =>
    manifest.archetypes.find(
      (candidate) => candidate.key === 'standard' && candidate.ods === practice().ods,
    ) as control.Manifest['archetypes'][number];
  const ruleCounts = async (id: string) => {
    const rule = (await sim.faults()).rules.find((candidate) => candidate.id === id);
    return { matched: rule?.matched, hits: rule?.hits };
  };
  const practiceRequestsSince = async (since: number) =>
    (await sim.journal({ surface: 'gpconnect', since, limit: 1000 })).entries.filter((entry) =>
      entry.path.startsWith(`/${practice().ods}/`),
    ).length;

  it('opens under a 503 fault rule, fails fast while open, half-opens after the cool-down and closes once the fault is cleared', async () => {
    now = 1_000_000;
    const attempts: number[] = [];
    const transport = new ResilientTransport({
      endpoints: [new URL(practice().serviceRoots.gpconnect).origin],
      // One attempt per call, so each call is one request the breaker counts.
      retry: { maxAttempts: 1 },
      circuitBreaker: { failureThreshold: 3, resetAfterMs: coolDownMs },
      now: () => now,
      hooks: { onAttempt: (event) => attempts.push(event.attempt) },
    });
    const client = gpConnectClientFor(manifest, practice(), { transport });
    const find = () => client.findPatient(patient().nhsNumber).catch((caught: unknown) => caught);
    const states = () => Object.values(transport.circuitStates());

    expect((await client.findPatient(patient().nhsNumber)).total).toBe(1);
    const { id } = await sim.addFault({
      match: { surface: 'gpconnect', ods: practice().ods },
      fault: { kind: 'status', status: 503 },
    });
    const { lastSeq: beforeFailures } = await sim.journal({ limit: 1 });

    // Closed: three 503s in a row reach the server and open the circuit.
    for (let failure = 1; failure <= 3; failure++) {
      expect(states()).toEqual(['closed']);
      expect(await find()).toMatchObject({ surface: 'gpconnect', status: 503 });
    }
    expect(states()).toEqual(['open']);
    expect(await ruleCounts(id)).toEqual({ matched: 3, hits: 3 });
    expect(await practiceRequestsSince(beforeFailures)).toBe(3);

    // Open: calls are refused in the client; the server sees none of them.
    const { lastSeq: beforeOpen } = await sim.journal({ limit: 1 });
    attempts.length = 0;
    now += coolDownMs - 1;
    for (let call = 0; call < 5; call++) {
      const refused = await find();
      expect(refused).toBeInstanceOf(GpsimNetworkError);
      expect(refused).not.toBeInstanceOf(GpsimApiError);
      expect((refused as GpsimNetworkError).causes.map(String)).toEqual(['Error: every endpoint circuit is open']);
    }
    expect(attempts).toEqual([]);
    expect(await ruleCounts(id)).toEqual({ matched: 3, hits: 3 });
    expect(await practiceRequestsSince(beforeOpen)).toBe(0);

    // Half-open: of two concurrent calls exactly one trial reaches the server; it fails and re-opens.
    now += 1;
    expect(states()).toEqual(['half-open']);
    const [first, second] = await Promise.all([find(), find()]);
    expect([first, second].filter((outcome) => outcome instanceof GpsimApiError)).toMatchObject([{ status: 503 }]);
    expect([first, second].filter((outcome) => outcome instanceof GpsimNetworkError)).toHaveLength(1);
    expect(attempts).toEqual([1]);
    expect(await ruleCounts(id)).toEqual({ matched: 4, hits: 4 });
    expect(states()).toEqual(['open']);
    expect(await find()).toBeInstanceOf(GpsimNetworkError);
    expect(await ruleCounts(id)).toEqual({ matched: 4, hits: 4 });

    // The fault is cleared; after the next cool-down the trial succeeds and the circuit closes.
    await sim.removeFault(id);
    now += coolDownMs - 1;
    expect(await find()).toBeInstanceOf(GpsimNetworkError);
    now += 1;
    const { lastSeq: beforeTrial } = await sim.journal({ limit: 1 });
    expect((await client.findPatient(patient().nhsNumber)).total).toBe(1);
    expect(states()).toEqual(['closed']);
    expect((await client.findPatient(patient().nhsNumber)).total).toBe(1);
    expect(await practiceRequestsSince(beforeTrial)).toBe(2);
  });
});
