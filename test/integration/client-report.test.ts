import type { RunningGpsim } from '@gpsim/simulator/main';
import type { ClientReport } from '@gpsim/simulator/control/client-report';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/**
 * GET /__sim/report from the journal: a client that backs off and honours Retry-After, against one
 * that hammers through an outage (SSP guide: back-off, at most 3 automated retries, domain.md §5.1).
 */
describe('client-behaviour report (/__sim/report)', () => {
  let gpsim: RunningGpsim;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
  });
  afterAll(async () => {
    await gpsim.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${gpsim.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const metadata = (client: string) =>
    fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': client } }).then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    });

  it('tells a client that backs off and honours Retry-After from one that causes a retry storm', async () => {
    await post('/__sim/faults', {
      match: { clientId: 'good-client' },
      fault: { kind: 'maintenance', retryAfterS: 2 },
      times: 2,
    });
    await post('/__sim/faults', { match: { clientId: 'bad-client' }, fault: { kind: 'maintenance', retryAfterS: 30 } });

    // The simulated clock stands in for waiting: the journal times requests on it.
    expect(await metadata('good-client')).toBe(503);
    await post('/__sim/clock', { advance: 'PT2S' });
    expect(await metadata('good-client')).toBe(503);
    await post('/__sim/clock', { advance: 'PT4S' });
    expect(await metadata('good-client')).toBe(200);

    for (let i = 0; i < 15; i++) expect(await metadata('bad-client')).toBe(503);

    const report = (await (await fetch(`${gpsim.url}/__sim/report`)).json()) as { clients: ClientReport[] };
    const good = report.clients.find((client) => client.clientId === 'good-client');
    const bad = report.clients.find((client) => client.clientId === 'bad-client');
    expect(good).toMatchObject({
      requests: 3,
      retries: 2,
      backoff: true,
      retryAfterHonoured: 2,
      retryAfterViolations: 0,
      retryStorm: false,
      errors: { '503': 2 },
    });
    expect(bad).toMatchObject({ requests: 15, retries: 14, retryAfterViolations: 14, retryStorm: true });
    expect(bad?.maxConsecutiveRetries).toBe(14);
    expect(good?.latencyMs.p95).toBeGreaterThan(0);

    const junit = await (await fetch(`${gpsim.url}/__sim/report?format=junit`)).text();
    expect(junit).toContain('<testsuite name="good-client" tests="6" failures="0">');
    expect(junit).toMatch(/<testsuite name="bad-client" tests="6" failures="[1-4]">/);
    expect(junit).toContain('retries came sooner than Retry-After');

    const html = await fetch(`${gpsim.url}/__sim/report?format=html`);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('<td>bad-client</td>');
  });

  it('rejects an unknown format with 400 naming the parameter', async () => {
    const response = await fetch(`${gpsim.url}/__sim/report?format=pdf`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe('format');
  });
});
