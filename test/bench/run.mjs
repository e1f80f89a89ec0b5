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
  'rss-100k-patients': () => runScript('rss-100k-patients.mjs'),
  'fhir-r4-patient-read': () => runScript('fhir-r4-patient-read.mjs'),
};

for (const [name, bench] of Object.entries(benches)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name} ...\n`);
  const result = await bench();
  const record = { name, date: new Date().toISOString(), machine, ...result };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  process.stderr.write(`bench: ${name}: ${JSON.stringify(result.summary)}\n`);
}

function runScript(file) {
  const output = execFileSync(process.execPath, ['--expose-gc', join(root, 'test', 'bench', file)], {
    cwd: root,
    maxBuffer: 64 << 20,
  });
  return JSON.parse(output.toString());
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
