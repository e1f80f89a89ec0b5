// Fault engine costs: throughput with no rules vs 100 inactive rules (matching must stay cheap, < 5%),
// throughput at 1,000 connections with and without a 50 ms delay on every request (keep >= 90%),
// and 10,000 concurrent requests each delayed 1 s (they must finish in about 1 s, health still prompt).
// The two delay cases run beside a bare node:http server (bare-reply-server.mjs) answering gpsim's
// bytes after a plain setTimeout, driven by the same autocannon calls: what this load generator on
// these cores can do at all, so gpsim's figures read as ratios to that ceiling.
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { freePort, startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

/** How busy the machine was before this run added its own load: the figures mean little on a busy one. */
const loadAtStart = loadavg()[0];
const ROUNDS = 3;
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const url = `${base}/fhir/R4/metadata`;
// GPSIM_BENCH_CLI runs another build (e.g. the previous commit's) for a before/after comparison.
const server = startBenchGpsim(port, { cli: process.env.GPSIM_BENCH_CLI });
// The ceiling: a bare node:http server answering the same bytes, with the same delays as plain timers.
const barePort = await freePort();
const bareUrl = `http://127.0.0.1:${barePort}/fhir/R4/metadata`;
const bare = fork(new URL('bare-reply-server.mjs', import.meta.url).pathname, [`${barePort}`]);
try {
  await waitForHealth(base);
  await tell(bare, { reply: await replyOf(url) });
  // No rules and 100 inactive rules, interleaved round by round like the delay cases below.
  await throughput(url, 3);
  const matching = { noRules: [], inactiveRules: [] };
  for (let round = 0; round < ROUNDS; round++) {
    matching.noRules.push(await withCpu(server.pid, () => throughput(url, 5)));
    for (let i = 0; i < 100; i++) {
      // Inactive for this traffic: half start in an hour, half match other practices and paths.
      const rule =
        i % 2 === 0
          ? { match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 }, start: 'PT1H' }
          : { match: { surface: 'fhir-r4', path: `/fhir/R4/Patient/${i}/*` }, fault: { kind: 'latency', ms: 10 } };
      await post('/__sim/faults', rule);
    }
    matching.inactiveRules.push(await withCpu(server.pid, () => throughput(url, 5)));
    await clearRules();
  }
  const [noRules, inactiveRules] = [matching.noRules, matching.inactiveRules].map(medianRound);

  // A 50 ms delay on every request must not cost throughput at 1,000 connections (delays hold no worker).
  // gpsim and the bare server, each undelayed and delayed, interleaved round by round so machine load
  // falls on all four alike; medians of the rounds.
  const rounds = { undelayed: [], delayed: [], bareUndelayed: [], bareDelayed: [] };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.undelayed.push(await measured1000(url, server.pid));
    // Let the 1,000 closed connections drain before the control call.
    await waitForHealth(base);
    await post('/__sim/faults', { match: { surface: 'fhir-r4' }, fault: { kind: 'latency', ms: 50 } });
    rounds.delayed.push(await measured1000(url, server.pid));
    await waitForHealth(base);
    await clearRules();
    await tell(bare, { delayMs: 0 });
    rounds.bareUndelayed.push(await measured1000(bareUrl, bare.pid));
    await tell(bare, { delayMs: 50 });
    rounds.bareDelayed.push(await measured1000(bareUrl, bare.pid));
  }
  const [undelayed1000, delayed1000, bareUndelayed1000, bareDelayed1000] = [
    rounds.undelayed,
    rounds.delayed,
    rounds.bareUndelayed,
    rounds.bareDelayed,
  ].map(medianRound);

  // 10,000 requests each delayed 1 s, on 10,000 connections autocannon opens for them: gpsim, then
  // the bare server with a 1 s setTimeout, twice each, so the wall time has the generator's ceiling beside it.
  await waitForHealth(base);
  await post('/__sim/faults', { match: { surface: 'fhir-r4' }, fault: { kind: 'latency', ms: 1000 } });
  await tell(bare, { delayMs: 1000 });
  const delayed10k = [];
  const bareDelayed10k = [];
  for (let round = 0; round < 2; round++) {
    delayed10k.push(await burst10k(url, base));
    bareDelayed10k.push(await burst10k(bareUrl));
  }
  const wall10k = median(delayed10k.map((run) => run.wallMs));
  const bareWall10k = median(bareDelayed10k.map((run) => run.wallMs));
  const costPercent = Math.round((1 - inactiveRules.requestsPerSecond / noRules.requestsPerSecond) * 1000) / 10;
  const keeps = (delayed, undelayed) =>
    Math.round((delayed.requestsPerSecond / undelayed.requestsPerSecond) * 1000) / 10;
  process.stdout.write(
    JSON.stringify({
      summary: {
        noRulesRps: noRules.requestsPerSecond,
        inactiveRulesRps: inactiveRules.requestsPerSecond,
        inactiveRulesCostPercent: costPercent,
        targetCostPercent: 5,
        noRulesCpuUsPerRequest: noRules.cpuUsPerRequest,
        inactiveRulesCpuUsPerRequest: inactiveRules.cpuUsPerRequest,
        undelayed1000ConnectionsRps: undelayed1000.requestsPerSecond,
        delayed50ms1000ConnectionsRps: delayed1000.requestsPerSecond,
        delayedKeepsPercent: keeps(delayed1000, undelayed1000),
        targetDelayedKeepsPercent: 90,
        bareUndelayed1000ConnectionsRps: bareUndelayed1000.requestsPerSecond,
        bareDelayed50ms1000ConnectionsRps: bareDelayed1000.requestsPerSecond,
        bareDelayedKeepsPercent: keeps(bareDelayed1000, bareUndelayed1000),
        undelayedCpuUsPerRequest: undelayed1000.cpuUsPerRequest,
        delayedCpuUsPerRequest: delayed1000.cpuUsPerRequest,
        delayed10kWallMs: wall10k,
        delayed10kCompleted: Math.min(...delayed10k.map((run) => run.completed)),
        delayed10kErrors: Math.max(...delayed10k.map((run) => run.errors)),
        healthDuringDelayMs: Math.max(...delayed10k.map((run) => run.healthMs)),
        bareDelayed10kWallMs: bareWall10k,
        bareDelayed10kCompleted: Math.min(...bareDelayed10k.map((run) => run.completed)),
        delayed10kWallRatioToBare: Math.round((wall10k / bareWall10k) * 100) / 100,
        loadAverageAtStart: Math.round(loadAtStart * 10) / 10,
      },
      note:
        `Load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores when the run started (${loadavg()[0].toFixed(1)} at the end); ` +
        'autocannon runs in this process on the same cores as gpsim and the bare node:http server, so compare ' +
        'gpsim with the bare server measured in the same run rather than across runs. Rule-cost figures are ' +
        `medians of ${ROUNDS} interleaved 5 s rounds at 50 connections; 1,000-connection figures are medians of ` +
        `${ROUNDS} interleaved rounds (2 s warm-up, 5 s measured); cpuUsPerRequest is the server ` +
        "process's user + system CPU per completed request (/proc), which machine load disturbs less than req/s; " +
        '10,000 × 1 s figures are medians of 2 runs, each opening 10,000 fresh connections.',
      noRules,
      inactiveRules,
      undelayed1000,
      delayed1000,
      bareUndelayed1000,
      bareDelayed1000,
      matching,
      rounds,
      delayed10k,
      bareDelayed10k,
    }),
  );
} finally {
  server.kill('SIGTERM');
  bare.kill('SIGTERM');
}

/** gpsim's answer to one request, for the bare server to repeat byte for byte (Node adds the framing headers). */
async function replyOf(target) {
  const response = await fetch(target);
  const headers = {};
  for (const [name, value] of response.headers) {
    if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
      headers[name] = value;
  }
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers, body: body.toString('base64') };
}

/** Sends a message to the bare server and waits for its acknowledgement. */
function tell(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

/** The server process's user + system CPU so far, in ms (Linux /proc; undefined elsewhere). */
function cpuMs(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  // utime and stime, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A measurement with the server process's CPU per completed request beside it. */
async function withCpu(pid, measure) {
  const before = cpuMs(pid);
  const result = await measure();
  const after = cpuMs(pid);
  return {
    ...result,
    cpuUsPerRequest: before === undefined ? null : Math.round(((after - before) * 1000) / result.completed),
  };
}

async function measured1000(target, pid) {
  await throughput(target, 2, 1000);
  return withCpu(pid, () => throughput(target, 5, 1000));
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** The round with the median throughput. */
function medianRound(results) {
  const middle = median(results.map((result) => result.requestsPerSecond));
  return results.find((result) => result.requestsPerSecond === middle);
}

/** 10,000 concurrent requests on fresh connections; with `healthBase`, times a health check 0.5 s in. */
async function burst10k(target, healthBase) {
  const started = performance.now();
  const burst = autocannon({ url: target, connections: 10_000, amount: 10_000, timeout: 30 });
  let healthMs;
  if (healthBase !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const healthStarted = performance.now();
    await waitForHealth(healthBase);
    healthMs = Math.round(performance.now() - healthStarted);
  }
  const result = await burst;
  const wallMs = Math.round(performance.now() - started);
  // Let the 10,000 closed connections drain before the next burst.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return {
    wallMs,
    completed: result.requests.total,
    errors: result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ...(healthMs === undefined ? {} : { healthMs }),
  };
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

async function throughput(target, durationS, connections = 50) {
  const result = await autocannon({ url: target, connections, duration: durationS, pipelining: 1, timeout: 30 });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    completed: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
