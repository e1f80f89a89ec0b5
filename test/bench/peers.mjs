// gpsim beside generic mock servers, in one run on one machine with one load generator: gpsim's GP
// Connect patient read and structured record (stateful, validated, audited) against the same bytes
// served as static stubs by Prism, Mockoon CLI, json-server and WireMock, and a bare node:http
// server (the ceiling). The peers live in test/bench/peers (own package and lockfile), installed on
// first use so the project's own install stays lean. Prints JSON; run through `npm run bench -- peers`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
import { gpcTargets } from './gpconnect-requests.mjs';
import { load, median, startCeiling } from './side-by-side.mjs';

/** How busy the machine was before this run added its own load: the figures mean little on a busy one. */
const loadAtStart = loadavg()[0];

const here = dirname(fileURLToPath(import.meta.url));
const peersDir = join(here, 'peers');
const bin = (name) => join(peersDir, 'node_modules', '.bin', name);
const CONNECTIONS = 50;
const WARMUP_S = Number(process.env.PEERS_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.PEERS_DURATION_S ?? 5);
const ROUNDS = Number(process.env.PEERS_ROUNDS ?? 3);
const round2 = (value) => Math.round(value * 100) / 100;

if (!existsSync(join(peersDir, 'node_modules'))) {
  process.stderr.write('bench: installing the peer mock servers into test/bench/peers ...\n');
  execFileSync('npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
}

const children = [];
ceiling.label = 'node:http';
wiremock.label = 'WireMock';
jsonServer.label = 'json-server';
mockoon.label = 'Mockoon CLI';
prism.label = 'Prism';
const stubDir = mkdtempSync(join(tmpdir(), 'gpsim-peers-'));
try {
  const gpsimPort = await freePort();
  const gpsimBase = `http://127.0.0.1:${gpsimPort}`;
  const gpsim = startBenchGpsim(gpsimPort);
  children.push(gpsim);
  await waitForHealth(gpsimBase);
  const { patientRead, structuredRecord } = await gpcTargets(gpsimBase, 'standard');
  const stubs = { patient: patientRead.bytes, structured: structuredRecord.bytes };

  const servers = [{ name: 'gpsim', process: gpsim, targets: { patientRead, structuredRecord } }];
  for (const peer of [ceiling, wiremock, jsonServer, mockoon, prism]) {
    const port = await freePort();
    try {
      const started = await peer(port, stubs);
      children.push(started.process);
      await waitForStub(`http://127.0.0.1:${port}${started.paths.patient}`);
      servers.push({
        name: started.name,
        version: started.version,
        process: started.process,
        note: started.note,
        targets: {
          patientRead: { ...patientRead, url: `http://127.0.0.1:${port}${started.paths.patient}`, method: 'GET' },
          structuredRecord: {
            ...structuredRecord,
            url: `http://127.0.0.1:${port}${started.paths.structured}`,
            method: started.structuredMethod ?? 'POST',
            body: started.structuredMethod === 'GET' ? undefined : structuredRecord.body,
          },
        },
      });
    } catch (error) {
      servers.push({ name: peer.label, unavailable: String(error.message ?? error) });
    }
  }

  const measured = servers.filter((server) => !server.unavailable);
  const endpoints = ['patientRead', 'structuredRecord'];
  const runs = new Map(measured.map((server) => [server.name, { patientRead: [], structuredRecord: [] }]));
  const failed = new Map();
  for (const server of measured) {
    for (const endpoint of endpoints) {
      try {
        await load(server.targets[endpoint], WARMUP_S, CONNECTIONS);
      } catch (error) {
        failed.set(`${server.name} ${endpoint}`, error.message);
      }
    }
  }
  // Rounds interleave the servers, so a burst of noise on the shared machine spreads across all of them.
  for (let round = 0; round < ROUNDS; round++) {
    for (const server of measured) {
      for (const endpoint of endpoints) {
        if (failed.has(`${server.name} ${endpoint}`)) continue;
        try {
          const result = await load(server.targets[endpoint], DURATION_S, CONNECTIONS);
          runs.get(server.name)[endpoint].push({ ...result, rssMiB: treeRssMiB(server.process.pid) });
        } catch (error) {
          failed.set(`${server.name} ${endpoint}`, error.message);
        }
      }
    }
  }

  const results = servers.map((server) => {
    if (server.unavailable) return { name: server.name, unavailable: server.unavailable };
    const result = { name: server.name, version: server.version, ...(server.note ? { note: server.note } : {}) };
    for (const endpoint of endpoints) {
      const failure = failed.get(`${server.name} ${endpoint}`);
      const all = runs.get(server.name)[endpoint];
      result[endpoint] = failure
        ? { failed: failure }
        : { ...median(all), bytes: stubs[endpoint === 'patientRead' ? 'patient' : 'structured'].length, runs: all };
    }
    return result;
  });
  const rps = (result, endpoint) => result?.[endpoint]?.requestsPerSecond;
  const ratios = {};
  for (const endpoint of endpoints) {
    const gpsimRps = rps(results[0], endpoint);
    const peers = results.filter((result) => rps(result, endpoint) && !['gpsim', 'node:http'].includes(result.name));
    const fastest = peers.sort((a, b) => rps(b, endpoint) - rps(a, endpoint))[0];
    const ceilingRps = rps(
      results.find((result) => result.name === 'node:http'),
      endpoint,
    );
    ratios[endpoint] = {
      fastestPeer: fastest?.name,
      toFastestPeer: fastest && gpsimRps ? round2(gpsimRps / rps(fastest, endpoint)) : undefined,
      toCeiling: ceilingRps && gpsimRps ? round2(gpsimRps / ceilingRps) : undefined,
    };
  }
  process.stdout.write(
    JSON.stringify({
      summary: {
        gpsimPatientReadRps: rps(results[0], 'patientRead'),
        patientReadToFastestPeer: ratios.patientRead.toFastestPeer,
        patientReadToCeiling: ratios.patientRead.toCeiling,
        gpsimStructuredRecordRps: rps(results[0], 'structuredRecord'),
        structuredRecordToFastestPeer: ratios.structuredRecord.toFastestPeer,
        structuredRecordToCeiling: ratios.structuredRecord.toCeiling,
        targets: { toFastestPeer: 1.5, toCeiling: 0.5 },
      },
      settings: { connections: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S, rounds: ROUNDS, pipelining: 1 },
      note: `Load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores when the run started; the load generator runs in this process on the same cores as the servers.`,
      ratios,
      servers: results,
    }),
  );
} finally {
  for (const child of children) killTree(child);
}

/** The bare node:http ceiling, its stub files in this run's directory. */
async function ceiling(port, stubs) {
  return startCeiling(port, stubs, stubDir);
}

/** WireMock standalone (the npm package runs its jar on the machine's Java). */
async function wiremock(port, stubs) {
  const root = join(stubDir, 'wiremock');
  mkdirSync(join(root, 'mappings'), { recursive: true });
  mkdirSync(join(root, '__files'), { recursive: true });
  writeFileSync(join(root, '__files', 'patient.json'), stubs.patient);
  writeFileSync(join(root, '__files', 'structured.json'), stubs.structured);
  const mapping = (method, url, file) => ({
    request: { method, url },
    response: { status: 200, bodyFileName: file, headers: { 'Content-Type': 'application/fhir+json;charset=utf-8' } },
  });
  writeFileSync(
    join(root, 'mappings', 'stubs.json'),
    JSON.stringify({
      mappings: [mapping('GET', '/patient', 'patient.json'), mapping('POST', '/structured', 'structured.json')],
    }),
  );
  return {
    name: 'WireMock',
    version: packageVersion('wiremock'),
    process: spawn(
      bin('wiremock'),
      [
        '--port',
        `${port}`,
        '--bind-address',
        '127.0.0.1',
        '--root-dir',
        root,
        '--disable-banner',
        '--no-request-journal',
      ],
      { stdio: 'ignore' },
    ),
    paths: { patient: '/patient', structured: '/structured' },
  };
}

/** json-server serves a JSON file; a POST would write to it, so both stubs are GETs here. */
async function jsonServer(port, stubs) {
  const db = join(stubDir, 'db.json');
  writeFileSync(db, `{"patient":${stubs.patient},"structured":${stubs.structured}}`);
  return {
    name: 'json-server',
    version: packageVersion('json-server'),
    note: 'structured record served as a GET: json-server answers a POST by writing to its file',
    structuredMethod: 'GET',
    process: spawn(bin('json-server'), ['--port', `${port}`, '--host', '127.0.0.1', '--quiet', db], {
      stdio: 'ignore',
    }),
    paths: { patient: '/patient', structured: '/structured' },
  };
}

/** Mockoon CLI running an environment with the two routes. */
async function mockoon(port, stubs) {
  const route = (uuid, method, endpoint, body) => ({
    uuid,
    type: 'http',
    documentation: '',
    method,
    endpoint,
    responses: [
      {
        uuid: `${uuid}-response`,
        body: body.toString('utf8'),
        latency: 0,
        statusCode: 200,
        label: '',
        headers: [{ key: 'Content-Type', value: 'application/fhir+json;charset=utf-8' }],
        bodyType: 'INLINE',
        filePath: '',
        databucketID: '',
        sendFileAsBody: false,
        rules: [],
        rulesOperator: 'OR',
        disableTemplating: true,
        fallbackTo404: false,
        default: true,
        crudKey: 'id',
        callbacks: [],
      },
    ],
    responseMode: null,
    streamingMode: null,
    streamingInterval: 0,
  });
  const environment = {
    uuid: 'gpsim-bench',
    lastMigration: 33,
    name: 'gpsim bench',
    endpointPrefix: '',
    latency: 0,
    port,
    hostname: '127.0.0.1',
    folders: [],
    routes: [
      route('patient', 'get', 'patient', stubs.patient),
      route('structured', 'post', 'structured', stubs.structured),
    ],
    rootChildren: [
      { type: 'route', uuid: 'patient' },
      { type: 'route', uuid: 'structured' },
    ],
    proxyMode: false,
    proxyHost: '',
    proxyRemovePrefix: false,
    tlsOptions: { enabled: false, type: 'CERT', pfxPath: '', certPath: '', keyPath: '', caPath: '', passphrase: '' },
    cors: false,
    headers: [],
    proxyReqHeaders: [],
    proxyResHeaders: [],
    data: [],
    callbacks: [],
  };
  const file = join(stubDir, 'mockoon.json');
  writeFileSync(file, JSON.stringify(environment));
  return {
    name: 'Mockoon CLI',
    version: packageVersion('@mockoon/cli'),
    process: spawn(bin('mockoon-cli'), ['start', '--data', file, '--port', `${port}`, '--disable-log-to-file'], {
      stdio: 'ignore',
    }),
    paths: { patient: '/patient', structured: '/structured' },
  };
}

/** Prism mocking an OpenAPI document whose operations carry the stub bytes as their examples. */
async function prism(port, stubs) {
  const operation = (body) => ({
    requestBody: { content: { 'application/fhir+json': { schema: {} } } },
    responses: { 200: { description: 'stub', content: { 'application/fhir+json': { example: JSON.parse(body) } } } },
  });
  const spec = {
    openapi: '3.0.3',
    info: { title: 'gpsim bench stubs', version: '1' },
    paths: {
      '/patient': { get: { responses: operation(stubs.patient).responses } },
      '/structured': { post: operation(stubs.structured) },
    },
  };
  const file = join(stubDir, 'openapi.json');
  writeFileSync(file, JSON.stringify(spec));
  return {
    name: 'Prism',
    version: packageVersion('@stoplight/prism-cli'),
    process: spawn(bin('prism'), ['mock', file, '--port', `${port}`, '--host', '127.0.0.1', '--errors', 'false'], {
      stdio: 'ignore',
    }),
    paths: { patient: '/patient', structured: '/structured' },
  };
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(peersDir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

async function waitForStub(url) {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`did not answer ${url} within 60 s`);
}

/** Process ids of a child and its descendants (launcher scripts start java and node children). */
function tree(pid) {
  const ids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children.split(/\s+/).filter(Boolean)) ids.push(...tree(Number(child)));
    }
  } catch {
    // gone
  }
  return ids;
}

function treeRssMiB(pid) {
  let kib = 0;
  for (const id of tree(pid)) {
    try {
      const line = readFileSync(`/proc/${id}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
      if (line) kib += Number(line[1]);
    } catch {
      // gone
    }
  }
  return Math.round(kib / 1024);
}

function killTree(child) {
  for (const id of tree(child.pid).reverse()) {
    try {
      process.kill(id, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
