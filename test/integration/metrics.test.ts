import type { RunningGpsim } from '@gpsim/simulator/main';
import { smallEstate, startTestGpsim } from '../support/gpsim';

/** The value of one sample line `name{labels} value` of a Prometheus text exposition, if present. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const found = Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`));
    if (found) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** GET /__sim/metrics: Prometheus text format for load tests (scale issue, "Observability"). */
describe('metrics (/__sim/metrics)', () => {
  let gpsim: RunningGpsim;

  beforeAll(async () => {
    gpsim = await startTestGpsim(smallEstate);
  });
  afterAll(async () => {
    await gpsim.close();
  });

  const scrape = async (): Promise<string> => {
    const response = await fetch(`${gpsim.url}/__sim/metrics`);
    expect(response.status).toBe(200);
    // Prometheus text exposition format 0.0.4.
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    return response.text();
  };

  it('counts requests and errors by surface and client, with a latency histogram per surface and interaction', async () => {
    const headers = { 'X-Client-Id': 'metrics-client' };
    for (let i = 0; i < 3; i++) await (await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers })).arrayBuffer();
    await (await fetch(`${gpsim.url}/fhir/R4/Nothing`, { headers })).arrayBuffer();
    const text = await scrape();
    const client = { surface: 'fhir-r4', client: 'metrics-client' };
    expect(sample(text, 'gpsim_requests_total', { ...client, status_class: '2xx' })).toBe(3);
    expect(sample(text, 'gpsim_request_errors_total', { ...client, status: '404' })).toBe(1);
    expect(sample(text, 'gpsim_request_duration_seconds_count', { surface: 'fhir-r4', interaction: '' })).toBe(4);
    expect(sample(text, 'gpsim_request_duration_seconds_bucket', { surface: 'fhir-r4', le: '+Inf' })).toBe(4);
  });

  it('reports fault rules, active or not, and the hits of each', async () => {
    const response = await fetch(`${gpsim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { surface: 'pds' }, fault: { kind: 'status', status: 503 } }),
    });
    const { id } = (await response.json()) as { id: string };
    await fetch(`${gpsim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { surface: 'pds' }, fault: { kind: 'reset' }, start: 'PT1H' }),
    });
    await (await fetch(`${gpsim.url}/spine/pds/FHIR/R4/metadata`)).arrayBuffer();
    const text = await scrape();
    expect(sample(text, 'gpsim_fault_rules', { active: 'true' })).toBe(1);
    expect(sample(text, 'gpsim_fault_rules', { active: 'false' })).toBe(1);
    expect(sample(text, 'gpsim_fault_rule_hits', { rule: id, kind: 'status' })).toBe(1);
    expect(sample(text, 'gpsim_request_errors_total', { surface: 'pds', status: '503' })).toBe(1);
    await fetch(`${gpsim.url}/__sim/faults`, { method: 'DELETE' });
  });

  it('reports cache sizes, the estate size, memory and event-loop lag', async () => {
    await scrape();
    const text = await scrape();
    expect(sample(text, 'gpsim_cache_entries', { cache: 'journal' })).toBeGreaterThan(0);
    expect(sample(text, 'gpsim_cache_entries', { cache: 'patients' })).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^gpsim_estate_patients \d+$/m);
    expect(sample(text, 'gpsim_process_memory_bytes', { kind: 'rss' })).toBeGreaterThan(0);
    expect(sample(text, 'gpsim_event_loop_lag_seconds', { stat: 'max' })).toBeGreaterThanOrEqual(0);
  });

  it('escapes label values as the text format requires (backslash and double quote)', async () => {
    await (await fetch(`${gpsim.url}/fhir/R4/metadata`, { headers: { 'X-Client-Id': 'odd"client\\x' } })).arrayBuffer();
    expect(await scrape()).toContain('client="odd\\"client\\\\x"');
  });

  it('keeps label values bounded: clients past the first 500 count as "other"', async () => {
    for (let i = 0; i < 520; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const response = await fetch(`${gpsim.url}/fhir/R4/metadata`, {
            headers: { 'X-Client-Id': `bulk-client-${i + j}` },
          });
          await response.arrayBuffer();
        }),
      );
    }
    const text = await scrape();
    // Two clients were seen before this test, so 498 bulk clients have their own label and 21 share "other".
    expect(sample(text, 'gpsim_requests_total', { surface: 'fhir-r4', client: 'other' })).toBe(22);
  });
});
