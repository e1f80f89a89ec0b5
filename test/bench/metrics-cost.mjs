// What /__sim/metrics costs a request: the metrics middleware run in-process around a handler that
// answers at once, against the same chain without it (CPU time per request, median of rounds). As a
// yardstick measured in the same run: serialising a 2 KB patient, which every GP Connect read does.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { GpsimMetrics } = require('../../simulator/dist/control/metrics.js');

const metrics = new GpsimMetrics({
  journal: { size: 0 },
  faults: { list: () => [] },
  population: () => ({ cacheSizes: () => ({ patients: 0, records: 0 }), practices: [] }),
});
const middleware = metrics.middleware();
const response = { status: 200, headers: {}, body: '{}' };
const next = () => Promise.resolve(response);
const request = (i) => ({
  surface: { name: 'gpconnect' },
  annotations: { interaction: 'urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1', ods: `X1000${i % 6}` },
  headers: { 'x-client-id': `client-${i % 4}` },
  params: {},
});
const requests = Array.from({ length: 64 }, (_, i) => request(i));

async function round(withMetrics, count) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    if (withMetrics) await middleware(requests[i & 63], next);
    else await next();
  }
  return Number(process.hrtime.bigint() - started) / count;
}

const patient = {
  resourceType: 'Patient',
  id: 'x',
  name: [{ family: 'Bench', given: ['Ada'] }],
  text: 'x'.repeat(1900),
};
function yardstick(count) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) JSON.stringify(patient);
  return Number(process.hrtime.bigint() - started) / count;
}

const COUNT = 200_000;
await round(true, COUNT);
const bare = [];
const measured = [];
const serialise = [];
for (let i = 0; i < 5; i++) {
  bare.push(await round(false, COUNT));
  measured.push(await round(true, COUNT));
  serialise.push(yardstick(COUNT));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const costNs = Math.round(median(measured) - median(bare));
process.stdout.write(
  JSON.stringify({
    summary: {
      metricsNsPerRequest: costNs,
      serialise2KbPatientNs: Math.round(median(serialise)),
    },
    note: 'Measured on a shared, loaded machine; in-process, no network.',
  }),
);
