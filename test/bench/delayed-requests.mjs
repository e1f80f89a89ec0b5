// 10,000 concurrent requests each delayed 1 s by a latency rule, sent by raw node:http agents
// (no pooling limit) from several worker processes, so the load generator is not the bottleneck.
// By default each worker opens its keep-alive connections first (a request to /__sim/health, which
// is never faulted), so the timed burst measures what the issue asks — whether delays cost worker
// capacity — not how fast two cores can accept 10,000 new TCP connections (DELAYED_FRESH=1 times
// fresh connections instead). Prints the wall time, the client-side latency percentiles and the
// server's own view (journal). `npm run build` first.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForHealth } from './bench-gpsim.mjs';

const TOTAL = Number(process.env.DELAYED_TOTAL ?? 10_000);
const WORKERS = Number(process.env.DELAYED_WORKERS ?? 4);
const port = 43210;

if (process.argv[2] === 'worker') {
  const count = Number(process.argv[3]);
  const fresh = process.env.DELAYED_FRESH === '1';
  const agent = new Agent({ keepAlive: !fresh, maxSockets: Infinity, keepAliveMsecs: 60_000 });
  const latencies = [];
  let errors = 0;
  const one = (path = '/fhir/R4/metadata') =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  process.on('message', async () => {
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, () => one()));
    process.send({ wallMs: performance.now() - started, latencies, errors });
  });
  if (!fresh) {
    // Open the connections first; the agent then reuses these idle sockets for the timed burst.
    await Promise.all(Array.from({ length: count }, () => one('/__sim/health')));
    latencies.length = 0;
    errors = 0;
  }
  process.send('ready');
} else {
  const server = spawn(
    process.execPath,
    [
      join('simulator', 'dist', 'cli.js'),
      'start',
      '--port',
      `${port}`,
      '--backup-port',
      'none',
      '--tcp-port',
      'none',
    ].concat(['--data-dir', mkdtempSync(join(tmpdir(), 'gpsim-bench-')), '--log-level', 'warn']),
    { stdio: 'ignore' },
  );
  try {
    await waitForHealth(`http://127.0.0.1:${port}`);
    const base = `http://127.0.0.1:${port}`;
    await fetch(`${base}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({
        match: { surface: 'fhir-r4' },
        fault: { kind: 'latency', ms: Number(process.env.DELAYED_MS ?? 1000) },
      }),
    });
    const workers = await Promise.all(
      Array.from({ length: WORKERS }, () => {
        const child = fork(new URL(import.meta.url).pathname, ['worker', String(Math.ceil(TOTAL / WORKERS))]);
        return new Promise((resolve) => child.once('message', () => resolve(child)));
      }),
    );
    const started = performance.now();
    const results = workers.map(
      (child) =>
        new Promise((resolve) =>
          child.once('message', (result) => {
            child.kill();
            resolve(result);
          }),
        ),
    );
    for (const child of workers) child.send('go');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const healthStarted = performance.now();
    await fetch(`${base}/__sim/health`);
    const healthMs = performance.now() - healthStarted;
    const done = await Promise.all(results);
    const wallMs = performance.now() - started;
    const latencies = done.flatMap((result) => result.latencies).sort((a, b) => a - b);
    const at = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? 0);
    const journal = await (await fetch(`${base}/__sim/journal?limit=1000&surface=fhir-r4`)).json();
    const serverMs = journal.entries.map((entry) => entry.latencyMs).sort((a, b) => a - b);
    const serverAt = (p) =>
      Math.round(serverMs[Math.min(serverMs.length - 1, Math.ceil(p * serverMs.length) - 1)] ?? 0);
    process.stdout.write(
      `${JSON.stringify({
        total: TOTAL,
        workers: WORKERS,
        completed: latencies.length,
        errors: done.reduce((sum, result) => sum + result.errors, 0),
        wallMs: Math.round(wallMs),
        clientLatencyMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
        serverLatencyMsLast1000: { p50: serverAt(0.5), p99: serverAt(0.99), max: serverAt(1) },
        healthDuringDelayMs: Math.round(healthMs),
      })}\n`,
    );
  } finally {
    server.kill('SIGTERM');
  }
}
