// The largest estates gpsim can hold: cold start (spawn to first /__sim/health), RSS after start and
// after random patient reads (R4 Patient/{id} over the whole estate, so the bounded caches churn).
// England's 6,300 practices × 10,000 patients (63M) cannot be numbered: fictitious NHS numbers come
// from the 999 test range, which holds 909,091 valid numbers, so gpsim refuses that estate at start
// (the first case records the refusal); the estates measured are the largest that fit, one with
// England's practice count and one with full-size practices. Prints JSON for `npm run bench`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, r4Token } from './bench-gpsim.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { IdCodec } = require('../../simulator/dist/population/ids.js');

const cases = [
  { name: 'england', practices: 6300, patientsPerPractice: 10_000 },
  { name: 'england-practices', practices: 6300, patientsPerPractice: 140 },
  { name: 'full-size-practices', practices: 89, patientsPerPractice: 10_000 },
];
const READ_S = Number(process.env.SCALE_READ_S ?? 10);

const results = [];
for (const estate of cases) results.push(await measure(estate));
const measured = results.filter((result) => result.coldStartMs !== undefined);
process.stdout.write(
  JSON.stringify({
    summary: {
      englandRefused: results[0].refused,
      largestEstatePatients: Math.max(...measured.map((result) => result.patients)),
      coldStartMs: Object.fromEntries(measured.map((result) => [result.name, result.coldStartMs])),
      rssAfterReadsMiB: Object.fromEntries(measured.map((result) => [result.name, result.rssAfterReadsMiB])),
      randomReadRps: Object.fromEntries(measured.map((result) => [result.name, result.randomReads.requestsPerSecond])),
      targets: { coldStartMs: 1000, rssMiB: 500 },
    },
    note: 'Measured on a shared, loaded machine.',
    cases: results,
  }),
);

async function measure({ name, practices, patientsPerPractice }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(
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
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'gpsim-bench-')),
      '--log-level',
      'warn',
      '--practices',
      `${practices}`,
      '--patients-per-practice',
      `${patientsPerPractice}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let running = true;
  const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => (running = false));
  try {
    const up = await Promise.race([health(base, () => running), exited.then(() => false)]);
    if (!up) return { name, practices, patientsPerPractice, refused: stderr.trim() };
    const coldStartMs = Math.round(performance.now() - started);
    const rssAfterStartMiB = rssMiB(child.pid);
    const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
    const ids = new IdCodec(manifest.seed);
    const patients = manifest.practices.reduce((sum, practice) => sum + practice.listSize, 0);
    let seed = 1;
    const randomOrdinal = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % patients;
    };
    const headers = { authorization: `Bearer ${await r4Token(base)}` };
    const result = await autocannon({
      url: base,
      headers,
      connections: 50,
      duration: READ_S,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            path: `/fhir/R4/Patient/${ids.encode('patient', randomOrdinal(), 0)}`,
          }),
        },
      ],
    });
    return {
      name,
      practices: manifest.practices.length,
      patientsPerPractice,
      patients,
      coldStartMs,
      rssAfterStartMiB,
      rssAfterReadsMiB: rssMiB(child.pid),
      randomReads: {
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
      },
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function health(base, running) {
  while (running()) {
    try {
      if ((await fetch(`${base}/__sim/health`)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return line ? Math.round(Number(line[1]) / 1024) : undefined;
}
