// gpsim's GP Connect patient read and structured record beside the bare node:http ceiling serving the
// same bytes, in one run: the quick form of the peers bench (no Java, no peer installs) for work on the
// hot read path. With GPSIM_BASE_CLI=<path to another build's simulator/dist/cli.js> a second gpsim
// (say, the commit before a change) is measured in the same run, so before/after is a same-run ratio.
// Prints JSON; run through `npm run bench -- gpconnect-hot-read`.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
import { gpcTargets } from './gpconnect-requests.mjs';
import { load, median, startCeiling } from './side-by-side.mjs';

const loadAtStart = loadavg()[0];
const WARMUP_S = Number(process.env.HOT_READ_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.HOT_READ_DURATION_S ?? 5);
const ROUNDS = Number(process.env.HOT_READ_ROUNDS ?? 3);
const endpoints = ['patientRead', 'structuredRecord'];
const round2 = (value) => Math.round(value * 100) / 100;

const children = [];
const stubDir = mkdtempSync(join(tmpdir(), 'gpsim-hot-read-'));
try {
  const servers = [];
  const builds = [{ name: 'gpsim', cli: undefined }];
  if (process.env.GPSIM_BASE_CLI) builds.push({ name: 'gpsim (base)', cli: process.env.GPSIM_BASE_CLI });
  for (const build of builds) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    children.push(startBenchGpsim(port, { cli: build.cli }));
    await waitForHealth(base);
    servers.push({ name: build.name, targets: await gpcTargets(base, 'standard') });
  }
  const { patientRead, structuredRecord } = servers[0].targets;
  const ceilingPort = await freePort();
  const ceiling = startCeiling(
    ceilingPort,
    { patient: patientRead.bytes, structured: structuredRecord.bytes },
    stubDir,
  );
  children.push(ceiling.process);
  const ceilingBase = `http://127.0.0.1:${ceilingPort}`;
  await waitForHealth200(`${ceilingBase}${ceiling.paths.patient}`);
  servers.push({
    name: 'node:http',
    targets: {
      patientRead: { url: `${ceilingBase}${ceiling.paths.patient}`, method: 'GET', headers: patientRead.headers },
      structuredRecord: { ...structuredRecord, url: `${ceilingBase}${ceiling.paths.structured}` },
    },
  });

  for (const server of servers) for (const endpoint of endpoints) await load(server.targets[endpoint], WARMUP_S);
  const runs = new Map(servers.map((server) => [server.name, { patientRead: [], structuredRecord: [] }]));
  // Rounds interleave the servers, so a burst of noise on the shared machine spreads across all of them.
  for (let round = 0; round < ROUNDS; round++) {
    for (const server of servers) {
      for (const endpoint of endpoints)
        runs.get(server.name)[endpoint].push(await load(server.targets[endpoint], DURATION_S));
    }
  }
  const results = servers.map((server) => ({
    name: server.name,
    patientRead: median(runs.get(server.name).patientRead),
    structuredRecord: median(runs.get(server.name).structuredRecord),
    runs: runs.get(server.name),
  }));
  const rps = (name, endpoint) => results.find((result) => result.name === name)?.[endpoint].requestsPerSecond;
  const summary = {};
  for (const endpoint of endpoints) {
    summary[`${endpoint}Rps`] = rps('gpsim', endpoint);
    summary[`${endpoint}ToCeiling`] = round2(rps('gpsim', endpoint) / rps('node:http', endpoint));
    if (rps('gpsim (base)', endpoint)) {
      summary[`${endpoint}BaseToCeiling`] = round2(rps('gpsim (base)', endpoint) / rps('node:http', endpoint));
      summary[`${endpoint}ToBase`] = round2(rps('gpsim', endpoint) / rps('gpsim (base)', endpoint));
    }
  }
  process.stdout.write(
    JSON.stringify({
      summary,
      settings: { connections: 50, warmupS: WARMUP_S, durationS: DURATION_S, rounds: ROUNDS, pipelining: 1 },
      note: `Load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores when the run started (${loadavg()[0].toFixed(1)} at the end, including this run); the load generator runs in this process on the same cores as the servers.`,
      servers: results,
    }),
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(stubDir, { recursive: true, force: true });
}

async function waitForHealth200(url) {
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`bench: ${url} did not answer`);
}
