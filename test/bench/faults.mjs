// Fault engine costs: throughput with no rules vs 100 inactive rules (matching must stay cheap, < 5%),
// throughput at 1,000 connections with and without a 50 ms delay on every request (keep >= 90%),
// and 10,000 concurrent requests each delayed 1 s (they must finish in about 1 s, health still prompt).
import { createRequire } from 'node:module';
import { freePort, startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const port = await freePort();
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
  await clearRules();

  // A 50 ms delay on every request must not cost throughput at 1,000 connections (delays hold no worker).
  await throughput(3, 1000);
  const undelayed1000 = await throughput(10, 1000);
  // Let the 1,000 closed connections drain before the control call.
  await waitForHealth(base);
  await post('/__sim/faults', { match: { surface: 'fhir-r4' }, fault: { kind: 'latency', ms: 50 } });
  await throughput(3, 1000);
  const delayed1000 = await throughput(10, 1000);
  await waitForHealth(base);
  await clearRules();

  await post('/__sim/faults', { match: { surface: 'fhir-r4' }, fault: { kind: 'latency', ms: 1000 } });
  const started = performance.now();
  const delayed = autocannon({ url, connections: 10_000, amount: 10_000, timeout: 30 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const healthStarted = performance.now();
  await waitForHealth(base);
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
        undelayed1000ConnectionsRps: undelayed1000.requestsPerSecond,
        delayed50ms1000ConnectionsRps: delayed1000.requestsPerSecond,
        delayedKeepsPercent: Math.round((delayed1000.requestsPerSecond / undelayed1000.requestsPerSecond) * 1000) / 10,
        targetDelayedKeepsPercent: 90,
        delayed10kWallMs: Math.round(delayedWallMs),
        delayed10kCompleted: result.requests.total,
        delayed10kErrors: result.errors + result.timeouts,
        healthDuringDelayMs: Math.round(healthMs),
      },
      note: 'Measured on a shared, loaded machine.',
      noRules,
      inactiveRules,
      undelayed1000,
      delayed1000,
    }),
  );
} finally {
  server.kill('SIGTERM');
}

async function clearRules() {
  for (let attempt = 1; ; attempt++) {
    try {
      await fetch(`${base}/__sim/faults`, { method: 'DELETE' });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function post(path, body) {
  // After a 1,000-connection run a pooled keep-alive socket may already be closed: retry on a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`bench: POST ${path} answered ${response.status}`);
      return;
    } catch (error) {
      if (attempt === 3 || error.message.startsWith('bench:')) throw error;
    }
  }
}

async function throughput(durationS, connections = 50) {
  const result = await autocannon({ url, connections, duration: durationS, pipelining: 1, timeout: 30 });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
