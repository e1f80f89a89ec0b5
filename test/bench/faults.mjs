// Fault engine costs: throughput with no rules vs 100 inactive rules (matching must stay cheap, < 5%),
// and 10,000 concurrent requests each delayed 1 s (they must finish in about 1 s, health still prompt).
import { createRequire } from 'node:module';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const port = 43200;
const base = `http://127.0.0.1:${port}`;
const url = `${base}/fhir/R4/metadata`;
const server = startBenchGpsim(port);
try {
  await waitForHealth(base);
  await throughput(3);
  const noRules = await throughput(10);
  for (let i = 0; i < 100; i++) {
    // Inactive for this traffic: half start in an hour, half match other practices and paths.
    const rule =
      i % 2 === 0
        ? { match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 }, start: 'PT1H' }
        : { match: { surface: 'fhir-r4', path: `/fhir/R4/Patient/${i}/*` }, fault: { kind: 'latency', ms: 10 } };
    await post('/__sim/faults', rule);
  }
  const inactiveRules = await throughput(10);
  await fetch(`${base}/__sim/faults`, { method: 'DELETE' });

  await post('/__sim/faults', { match: { surface: 'fhir-r4' }, fault: { kind: 'latency', ms: 1000 } });
  const started = performance.now();
  const delayed = autocannon({ url, connections: 10_000, amount: 10_000, timeout: 30 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const healthStarted = performance.now();
  await fetch(`${base}/__sim/health`);
  const healthMs = performance.now() - healthStarted;
  const result = await delayed;
  const delayedWallMs = performance.now() - started;
  const costPercent = Math.round((1 - inactiveRules.requestsPerSecond / noRules.requestsPerSecond) * 1000) / 10;
  process.stdout.write(
    JSON.stringify({
      summary: {
        noRulesRps: noRules.requestsPerSecond,
        inactiveRulesRps: inactiveRules.requestsPerSecond,
        inactiveRulesCostPercent: costPercent,
        targetCostPercent: 5,
        delayed10kWallMs: Math.round(delayedWallMs),
        delayed10kCompleted: result.requests.total,
        delayed10kErrors: result.errors + result.timeouts,
        healthDuringDelayMs: Math.round(healthMs),
      },
      noRules,
      inactiveRules,
    }),
  );
} finally {
  server.kill('SIGTERM');
}

async function post(path, body) {
  const response = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`bench: POST ${path} answered ${response.status}`);
}

async function throughput(durationS) {
  const result = await autocannon({ url, connections: 50, duration: durationS, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99 };
}
