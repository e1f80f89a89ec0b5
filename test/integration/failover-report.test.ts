import { ResilientTransport } from '@gpsim/client/transport';
import type { ClientReport } from '@gpsim/simulator/control/client-report';
import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/**
 * Issue 7 client-behaviour report: duplicate writes avoided or not, and failover/failback per
 * client, observed with two nodes (s11 primary, s12 backup as in the Internet SystmOne guide).
 */
describe('client-behaviour report: failover and duplicate writes', () => {
  let gpsim: RunningGpsim;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
  });
  afterAll(() => gpsim.close());
  afterEach(async () => {
    await fetch(`${gpsim.url}/__sim/faults`, { method: 'DELETE' });
  });

  const addRule = async (rule: unknown): Promise<string> => {
    const response = await fetch(`${gpsim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(rule) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const reportFor = async (clientId: string): Promise<ClientReport | undefined> => {
    const report = (await (await fetch(`${gpsim.url}/__sim/report`)).json()) as { clients: ClientReport[] };
    return report.clients.find((client) => client.clientId === clientId);
  };

  it('a client on the SDK ResilientTransport fails over to s12 while s11 fails, fails back when it returns, and the report sees both', async () => {
    const transport = new ResilientTransport({
      endpoints: [gpsim.url, gpsim.backupUrl as string],
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      circuitBreaker: { failureThreshold: 1, resetAfterMs: 200 },
    });
    const headers = { 'X-Client-Id': 'switching-client' };
    const id = await addRule({ match: { node: 's11', surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 } });
    const during = await transport.send({ method: 'GET', path: '/fhir/R4/metadata', headers });
    expect(during.status).toBe(200);
    expect(during.endpoint).toBe(gpsim.backupUrl);
    await fetch(`${gpsim.url}/__sim/faults/${id}`, { method: 'DELETE' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = await transport.send({ method: 'GET', path: '/fhir/R4/metadata', headers });
    expect(after.status).toBe(200);
    expect(after.endpoint).toBe(gpsim.url);
    const report = await reportFor('switching-client');
    expect(report?.failover).toBe(true);
    expect(report?.failback).toBe(true);
  });

  it('a client that keeps calling the failing node is reported as not failing over', async () => {
    await addRule({ match: { node: 's11', clientId: 'stubborn-client' }, fault: { kind: 'status', status: 503 } });
    for (let i = 0; i < 3; i++) {
      await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': 'stubborn-client' } });
    }
    const report = await reportFor('stubborn-client');
    expect(report?.failover).toBe(false);
    expect(report?.failback).toBeUndefined();
    const junit = await (await fetch(`${gpsim.url}/__sim/report?format=junit`)).text();
    expect(junit).toMatch(/kept calling the failing node/);
  });

  it('a write retried with the same idempotency key counts as a duplicate avoided; a new key is a duplicate risk', async () => {
    const write = (clientId: string, requestId: string) =>
      fetch(`${gpsim.url}/fhir/R4/Task`, {
        method: 'POST',
        headers: { 'X-Client-Id': clientId, 'X-Request-ID': requestId, 'Content-Type': 'application/fhir+json' },
        body: '{}',
      });
    for (const clientId of ['careful-writer', 'careless-writer']) {
      await addRule({ match: { clientId }, fault: { kind: 'status', status: 503 }, times: 1 });
    }
    const key = crypto.randomUUID();
    expect((await write('careful-writer', key)).status).toBe(503);
    await write('careful-writer', key);
    expect((await write('careless-writer', crypto.randomUUID())).status).toBe(503);
    await write('careless-writer', crypto.randomUUID());
    const careful = await reportFor('careful-writer');
    const careless = await reportFor('careless-writer');
    expect([careful?.duplicateWritesAvoided, careful?.duplicateWriteRisks]).toEqual([1, 0]);
    expect([careless?.duplicateWritesAvoided, careless?.duplicateWriteRisks]).toEqual([0, 1]);
  });
});
