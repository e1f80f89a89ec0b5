// Pieces shared by the side-by-side benchmarks (peers, gpconnect-hot-read): one autocannon run against a
// target, the median of several rounds, and the bare node:http ceiling that serves the same bytes.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

/** One autocannon run; throws (with a sample answer) when any request failed, so a fast error page never counts. */
export async function load(target, durationS, connections = 50) {
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: target.headers,
    body: target.body,
    connections,
    duration: durationS,
    pipelining: 1,
    timeout: 30,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    const sample = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body }).catch(
      (error) => ({ status: String(error), text: async () => '' }),
    );
    throw new Error(
      `${target.method} ${target.url}: ${result.non2xx} non-2xx and ${result.errors} errors; e.g. ${sample.status} ${(await sample.text()).slice(0, 200)}`,
    );
  }
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** The round with the median throughput, and the largest RSS seen when rounds recorded one. */
export function median(runs) {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  const rss = runs.map((run) => run.rssMiB).filter((value) => value !== undefined);
  return {
    requestsPerSecond: middle.requestsPerSecond,
    p50Ms: middle.p50Ms,
    p99Ms: middle.p99Ms,
    ...(rss.length > 0 ? { rssMiB: Math.max(...rss) } : {}),
  };
}

/** The bare node:http ceiling: a server in its own process that writes the stub bytes (from files in `dir`) and nothing else. */
export function startCeiling(port, stubs, dir) {
  writeFileSync(join(dir, 'patient.json'), stubs.patient);
  writeFileSync(join(dir, 'structured.json'), stubs.structured);
  const source = `
    const { readFileSync } = require('node:fs');
    const bodies = { '/patient': readFileSync(${JSON.stringify(join(dir, 'patient.json'))}), '/structured': readFileSync(${JSON.stringify(join(dir, 'structured.json'))}) };
    require('node:http').createServer((req, res) => {
      const body = bodies[req.url];
      req.resume();
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/fhir+json;charset=utf-8', 'content-length': body ? body.length : 0 });
      res.end(body);
    }).listen(${port}, '127.0.0.1');`;
  return {
    name: 'node:http',
    version: process.version,
    process: spawn(process.execPath, ['-e', source], { stdio: 'ignore' }),
    paths: { patient: '/patient', structured: '/structured' },
  };
}
