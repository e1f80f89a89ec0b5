// GET /fhir/R4/Patient/{id}: throughput and latency with autocannon at 50 connections, after a warm-up.
import { createRequire } from 'node:module';
import { r4Token, startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const port = 43100;
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port);
try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const standard = manifest.archetypes.find((archetype) => archetype.key === 'standard');
  const headers = { authorization: `Bearer ${await r4Token(base)}` };
  const search = await (
    await fetch(`${base}/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${standard.nhsNumber}`, {
      headers,
    })
  ).json();
  const id = search.entry[0].resource.id;
  const target = { url: `${base}/fhir/R4/Patient/${id}`, headers };
  await run(target, 3);
  const runs = [];
  for (let round = 0; round < 3; round++) runs.push(await run(target, 10));
  runs.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = runs[1];
  process.stdout.write(
    JSON.stringify({
      summary: {
        requestsPerSecond: median.requestsPerSecond,
        p50Ms: median.p50Ms,
        p99Ms: median.p99Ms,
        connections: 50,
      },
      runs,
    }),
  );
} finally {
  server.kill('SIGTERM');
}

async function run(target, durationS) {
  const result = await autocannon({ ...target, connections: 50, duration: durationS, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
  };
}
