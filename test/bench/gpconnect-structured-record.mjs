// POST $gpc.getstructuredrecord for the large-record archetype, every clinical area: throughput and
// latency with autocannon at 50 connections, after a warm-up (GP Connect read target: < 3 s).
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { startBenchGpsim, waitForHealth } from './bench-gpsim.mjs';
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = startBenchGpsim(port, { cli: process.env.GPSIM_BENCH_CLI });
try {
  await waitForHealth(base);
  const manifest = await (await fetch(`${base}/__sim/fixtures`)).json();
  const archetype = manifest.archetypes.find((candidate) => candidate.key === 'large-record');
  const practice = manifest.practices.find((candidate) => candidate.ods === archetype.ods);
  const url = `${practice.serviceRoots.structured}/Patient/$gpc.getstructuredrecord`;
  const nowS = Math.floor(Date.now() / 1000);
  // One token serves the whole run: it stays valid for its 300 s (GPC audit JWT rules).
  const claims = {
    iss: 'https://bench.example/',
    sub: '1',
    aud: practice.serviceRoots.structured,
    exp: nowS + 300,
    iat: nowS,
    reason_for_request: 'directcare',
    requested_scope: 'patient/*.read',
    requesting_device: {
      resourceType: 'Device',
      identifier: [{ system: 'https://bench.example/device', value: '1' }],
      model: 'bench',
      version: '1',
    },
    requesting_organization: {
      resourceType: 'Organization',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: manifest.consumers[0].ods }],
      name: 'Bench',
    },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: '1',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/sds-user-id', value: 'UNK' }],
      name: [{ family: 'Bench', given: ['Ada'] }],
    },
  };
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const headers = {
    'content-type': 'application/fhir+json;charset=utf-8',
    'ssp-traceid': '629ea9ba-a077-4d99-b289-7a9b19fd4e03',
    'ssp-from': manifest.consumers[0].asid,
    'ssp-to': practice.asid,
    'ssp-interactionid': 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1',
    authorization: `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`,
  };
  const area = (name, parts) => (parts ? { name, part: parts } : { name });
  const body = JSON.stringify({
    resourceType: 'Parameters',
    parameter: [
      {
        name: 'patientNHSNumber',
        valueIdentifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: archetype.nhsNumber },
      },
      area('includeAllergies', [{ name: 'includeResolvedAllergies', valueBoolean: true }]),
      area('includeMedication'),
      area('includeProblems'),
      area('includeImmunisations'),
      area('includeUncategorisedData'),
      area('includeInvestigations'),
      area('includeReferrals'),
      area('includeDiaryEntries'),
    ],
  });
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
      },
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
