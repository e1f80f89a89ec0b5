// POST $gpc.getstructuredrecord for the large-record archetype, every clinical area: throughput and
// latency with autocannon at 50 connections, after a warm-up (GP Connect read target: < 3 s).
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
import { gpcHeaders, interactions, structuredRecordBody } from './gpconnect-requests.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const loadAtStart = loadavg()[0];
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port, { cli: process.env.GPSIM_BENCH_CLI });
try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const archetype = manifest.archetypes.find((candidate) => candidate.key === 'large-record');
  const practice = manifest.practices.find((candidate) => candidate.ods === archetype.ods);
  const url = `${practice.serviceRoots.structured}/Patient/$gpc.getstructuredrecord`;
  const headers = gpcHeaders(manifest, practice, practice.serviceRoots.structured, interactions.getStructuredRecord);
  const body = structuredRecordBody(archetype.nhsNumber);
  const target = { url, method: 'POST', headers, body };
  await run(target, 3);
  const runs = [];
  for (let round = 0; round < 3; round++) runs.push(await run(target, 8));
  runs.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = runs[1];
  process.stdout.write(
    JSON.stringify({
      summary: {
        requestsPerSecond: median.requestsPerSecond,
        p50Ms: median.p50Ms,
        p99Ms: median.p99Ms,
        connections: 50,
        specReadTargetMs: 3000,
        loadAverageAtStart: Math.round(loadAtStart * 10) / 10,
      },
      note: 'Every request asks for the same record and query, so after the first the mapped clinical areas come from the per-record cache.',
      runs,
    }),
  );
} finally {
  server.kill('SIGTERM');
}

async function run(target, durationS) {
  const result = await autocannon({ ...target, connections: 50, duration: durationS, pipelining: 1, timeout: 30 });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
  };
}

/** A port nothing listens on now, so parallel runs never collide. */
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
