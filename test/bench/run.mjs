// npm run bench: gpsim's performance figures, measured on this machine, written to bench/results/.
// Every figure the README quotes comes from here. Run `npm run build` first (npm test does).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'simulator', 'dist', 'cli.js');
const resultsDir = join(root, 'bench', 'results');
if (!existsSync(cli)) {
  console.error('bench: simulator/dist is missing; run "npm run build" first.');
  process.exit(2);
}
mkdirSync(resultsDir, { recursive: true });

const only = process.argv.slice(2);
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
const benches = {
  'population-generation': () => runScript('population-generation.mjs'),
  'cold-start': () => coldStart(),
  'rss-100k-patients': () => rss100k(),
  'fhir-r4-patient-read': () => runScript('fhir-r4-patient-read.mjs'),
  'mesh-throughput': () => runScript('mesh-throughput.mjs'),
  'mesh-sdk-streaming': () => runScript('mesh-sdk-streaming.mjs'),
  'systmone-record-read': () => runScript('systmone-record-read.mjs'),

  faults: () => runScript('faults.mjs'),

  'gpconnect-structured-record': () => runScript('gpconnect-structured-record.mjs'),
  peers: () => runScript('peers.mjs'),
  'gpconnect-hot-read': () => runScript('gpconnect-hot-read.mjs'),
  'write-path': () => runScript('write-path.mjs'),
  scale: () => runScript('scale.mjs'),
  'metrics-cost': () => runScript('metrics-cost.mjs'),
  'fault-matching-cost': () => runScript('fault-matching-cost.mjs'),
};

for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name} ...\n`);
  const result = await bench();
  const record = { name, date: new Date().toISOString(), machine, ...result };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  process.stderr.write(`bench: ${name}: ${JSON.stringify(result.summary)}\n`);
  if (name === 'peers') writeReadmeTable();
}

/** The README's side-by-side table comes only from the peers results just written. */
function writeReadmeTable() {
  execFileSync(process.execPath, [join(root, 'test', 'bench', 'readme-table.mjs')], { cwd: root, stdio: 'inherit' });
}

function runScript(file, args = [], nodeFlags = []) {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', ...nodeFlags, join(root, 'test', 'bench', file), ...args],
    {
      cwd: root,
      maxBuffer: 64 << 20,
    },
  );
  return JSON.parse(output.toString());
}

/**
 * RSS after touching 100,000 patients: demographics only, then with full records under V8's default
 * heap sizing (which keeps freed pages) and with the old space capped at 192 MiB.
 */
function rss100k() {
  const demographics = runScript('rss-100k-patients.mjs', ['demographics']);
  const records = runScript('rss-100k-patients.mjs', ['records']);
  const recordsCapped = runScript('rss-100k-patients.mjs', ['records'], ['--max-old-space-size=192']);
  return {
    summary: {
      demographicsRssMiB: demographics.rssMiB,
      recordsRssMiB: records.rssMiB,
      recordsCappedHeapRssMiB: recordsCapped.rssMiB,
      liveHeapMiB: records.heapUsedMiB,
      targetMiB: 300,
    },
    demographics,
    records,
    recordsCapped,
  };
}

/** Wall time from spawning `gpsim start` to the first 200 from /__sim/health; median of several runs. */
async function coldStart() {
  const runs = [];
  for (let run = 0; run < 7; run++) {
    const port = 43000 + run;
    const dataDir = mkdtempSync(join(tmpdir(), 'gpsim-bench-'));
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        cli,
        'start',
        '--port',
        `${port}`,
        '--backup-port',
        'none',
        '--tcp-port',
        'none',
        '--data-dir',
        dataDir,
        '--log-level',
        'warn',
      ],
      { stdio: 'ignore' },
    );
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/__sim/health`);
        if (response.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    runs.push(performance.now() - started);
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)];
  return { summary: { medianMs: Math.round(median), targetMs: 1000 }, runsMs: runs.map(Math.round) };
}
