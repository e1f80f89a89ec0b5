// The largest estates gpsim can hold: cold start (spawn to first /__sim/health, median of several
// starts), random patient reads (R4 Patient/{id} anywhere in the estate: req/s, p50, p99), and RSS
// after start and after reads that each land in a random practice (so the bounded caches churn).
// Then, on the largest estate and side by side in this run, the same read with 1 and 2 workers over
// SQLite and over PostgreSQL (a scratch database on the machine's PostgreSQL, dropped afterwards).
// England's 6,300 practices × 10,000 patients (63M) cannot be numbered: fictitious NHS numbers come
// from the 999 test range, which holds 909,091 valid numbers, so gpsim refuses that estate at start
// (the first case records the refusal). Prints JSON for `npm run bench`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, r4Token } from './bench-gpsim.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Client } = require('pg');
const { IdCodec } = require('../../simulator/dist/population/ids.js');

const READ_S = Number(process.env.SCALE_READ_S ?? 10);
const WARMUP_S = Number(process.env.SCALE_WARMUP_S ?? 2);
const TOUCHES = Number(process.env.SCALE_TOUCHES ?? 10_000);
const STARTS = Number(process.env.SCALE_STARTS ?? 3);
const CONNECTIONS = 50;
const POSTGRES_ADMIN_URL = process.env.GPSIM_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RANGE_LIMIT = `Fictitious NHS numbers come only from the 999 test range (999 000 0000 - 999 999 9999), which holds 909,091 valid numbers (those whose Modulus 11 check digit is not 10), one of them per patient plus one superseded number per practice; so an England-scale estate of 6,300 practices × 10,000 patients (63M) cannot exist with fictitious numbers, and an estate fits only while practices × (patients per practice + 1) ≤ 909,091: England's practice count with up to 143 patients each (the case below, --practices 6301, is 6,302 practices with the public test practice, × 140), or 90 practices of 10,000.`;

const estates = [
  { name: 'england', practices: 6300, patientsPerPractice: 10_000 },
  // The default estate, measured the same way, so the large estates' figures have a same-run baseline.
  { name: 'default', practices: 6, patientsPerPractice: 2000 },
  { name: 'england-practices', practices: 6301, patientsPerPractice: 140 },
  { name: 'full-size-practices', practices: 89, patientsPerPractice: 10_000 },
];

const loadAtStart = loadavg();
const results = [];
for (const estate of estates) results.push(await measureEstate(estate));
const largest = estates[2];
const scaleOut = await measureScaleOut(largest);
const measured = results.filter((result) => result.coldStartMs !== undefined);
const byName = (pick) => Object.fromEntries(measured.map((result) => [result.name, pick(result)]));
const rps = (name) => scaleOut.find((row) => row.name === name)?.requestsPerSecond;
const ratio = (a, b) => (rps(a) && rps(b) ? Math.round((rps(a) / rps(b)) * 100) / 100 : undefined);
process.stdout.write(
  JSON.stringify({
    summary: {
      englandRefused: results[0].refused,
      largestEstatePatients: Math.max(...measured.map((result) => result.patients)),
      coldStartMs: byName((result) => result.coldStartMs),
      rssAfterStartMiB: byName((result) => result.rssAfterStartMiB),
      randomReadRps: byName((result) => result.randomReads.requestsPerSecond),
      randomReadP99Ms: byName((result) => result.randomReads.p99Ms),
      rssAfterTouchesMiB: byName((result) => result.rssAfterTouchesMiB),
      rssAfterTwiceAsManyMiB: byName((result) => result.rssAfterTwiceAsManyMiB),
      scaleOutRps: Object.fromEntries(scaleOut.map((row) => [row.name, row.requestsPerSecond ?? row.unavailable])),
      ratios: {
        twoWorkersToOneSqlite: ratio('sqlite-2-workers', 'sqlite-1-worker'),
        twoWorkersToOnePostgres: ratio('postgres-2-workers', 'postgres-1-worker'),
        postgresToSqliteOneWorker: ratio('postgres-1-worker', 'sqlite-1-worker'),
      },
      loadAverage: { atStart: loadAtStart.map(round1), atEnd: loadavg().map(round1) },
      targets: { coldStartMs: 1000, rssMiB: 500 },
    },
    rangeLimit: RANGE_LIMIT,
    note: `Load average ${round1(loadAtStart[0])} when the run started on a shared 2-core machine; autocannon (${CONNECTIONS} connections) runs in this process on the same cores as gpsim, so compare ratios measured in this run rather than absolute figures.`,
    settings: {
      readSeconds: READ_S,
      warmupSeconds: WARMUP_S,
      touches: TOUCHES,
      starts: STARTS,
      connections: CONNECTIONS,
    },
    estates: results,
    scaleOut,
  }),
);

async function measureEstate({ name, practices, patientsPerPractice }) {
  const estateArgs = ['--practices', `${practices}`, '--patients-per-practice', `${patientsPerPractice}`];
  const startsMs = [];
  for (let start = 1; ; start++) {
    const server = await startGpsim(estateArgs);
    if (server.refused !== undefined) return { name, practices, patientsPerPractice, refused: server.refused };
    startsMs.push(server.startMs);
    if (start < STARTS) {
      await server.stop();
      continue;
    }
    try {
      const rssAfterStartMiB = rssMiB(server.pids());
      const estate = await estateOf(server.base);
      const headers = { authorization: `Bearer ${await r4Token(server.base)}` };
      const random = random32(1);
      const anyPatient = () => estate.ids.encode('patient', random() % estate.patients, 0);
      const randomReads = await read(server.base, headers, anyPatient, { duration: READ_S });
      // Each read in a random practice: RSS must stay flat however many practices are touched.
      const touched = new Set();
      const inRandomPractice = () => {
        const practice = random() % estate.practices;
        touched.add(practice);
        return estate.ids.encode('patient', practice * patientsPerPractice + (random() % patientsPerPractice), 0);
      };
      const touches = await read(server.base, headers, inRandomPractice, { amount: TOUCHES });
      const rssAfterTouchesMiB = rssMiB(server.pids());
      // As many again: flat memory means the caches are full and nothing else grows.
      await read(server.base, headers, inRandomPractice, { amount: TOUCHES });
      return {
        name,
        practices: estate.practices,
        patientsPerPractice,
        patients: estate.patients,
        coldStartMs: median(startsMs),
        startsMs,
        rssAfterStartMiB,
        randomReads,
        touches: { ...touches, distinctPractices: touched.size },
        rssAfterTouchesMiB,
        rssAfterTwiceAsManyMiB: rssMiB(server.pids()),
      };
    } finally {
      await server.stop();
    }
  }
}

/** The random patient read with 1 and 2 workers, over SQLite and over PostgreSQL, one after another. */
async function measureScaleOut({ practices, patientsPerPractice }) {
  const estateArgs = ['--practices', `${practices}`, '--patients-per-practice', `${patientsPerPractice}`];
  const database = await scratchDatabase().catch((error) => ({ unavailable: error.message }));
  const rows = [];
  try {
    for (const store of ['sqlite', 'postgres']) {
      for (const workers of [1, 2]) {
        const name = `${store}-${workers}-worker${workers > 1 ? 's' : ''}`;
        if (store === 'postgres' && database.unavailable) {
          rows.push({ name, unavailable: `PostgreSQL: ${database.unavailable}` });
          continue;
        }
        const storeArgs = store === 'postgres' ? ['--store', database.url] : [];
        const server = await startGpsim([...estateArgs, ...storeArgs, '--workers', `${workers}`]);
        if (server.refused !== undefined) {
          rows.push({ name, unavailable: server.refused });
          continue;
        }
        try {
          const estate = await estateOf(server.base);
          const headers = { authorization: `Bearer ${await r4Token(server.base)}` };
          const random = random32(7);
          const anyPatient = () => estate.ids.encode('patient', random() % estate.patients, 0);
          await read(server.base, headers, anyPatient, { duration: WARMUP_S });
          rows.push({
            name,
            store,
            workers,
            ...(await read(server.base, headers, anyPatient, { duration: READ_S })),
            rssMiB: rssMiB(server.pids()),
          });
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    if (!database.unavailable) await database.drop();
  }
  return rows;
}

async function startGpsim(args) {
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
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let running = true;
  const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => (running = false));
  const stop = async () => {
    if (running) child.kill('SIGTERM');
    await exited;
  };
  const up = await Promise.race([health(base, () => running), exited.then(() => false)]);
  if (!up) {
    await stop();
    return { refused: stderr.trim() || 'gpsim exited before it answered /__sim/health' };
  }
  return {
    base,
    startMs: Math.round(performance.now() - started),
    // The primary and, with --workers, its worker processes.
    pids: () => [child.pid, ...childPids(child.pid)],
    stop,
  };
}

/** What the bench needs to address any patient: the id codec and the estate's size, from the manifest. */
async function estateOf(base) {
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  return {
    ids: new IdCodec(manifest.seed),
    practices: manifest.practices.length,
    patients: manifest.practices.reduce((sum, practice) => sum + practice.listSize, 0),
  };
}

async function read(base, headers, nextId, { duration, amount }) {
  const result = await autocannon({
    url: base,
    headers,
    connections: CONNECTIONS,
    ...(amount === undefined ? { duration } : { amount }),
    requests: [{ setupRequest: (request) => ({ ...request, path: `/fhir/R4/Patient/${nextId()}` }) }],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function scratchDatabase() {
  const name = `gpsim_bench_scale_${randomBytes(4).toString('hex')}`;
  const admin = async (sql) => {
    const client = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
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

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Resident memory of the processes together, MiB. */
function rssMiB(pids) {
  let kib = 0;
  for (const pid of pids) {
    try {
      kib += Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return Math.round(kib / 1024);
}

/** A fixed pseudo-random sequence of 32-bit whole numbers (mulberry32), so every run reads the same patients. */
function random32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function round1(value) {
  return Math.round(value * 10) / 10;
}
