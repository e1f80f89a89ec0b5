// What fault matching costs a request, in-process: FaultEngine.plan for a GET /fhir/R4/metadata with
// no rules and with the faults bench's 100 inactive rules (half start in an hour, half match other
// paths), alternating in one process so machine load affects both alike. The HTTP-level figure is
// the faults bench; this one isolates the matcher from the load generator and the network.
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
const require = createRequire(import.meta.url);
const { openStore } = require('../../simulator/dist/store/open-store.js');
const { FaultEngine } = require('../../simulator/dist/faults/fault-engine.js');
const { SimClock } = require('../../simulator/dist/domain/clock.js');
const { SpineStatus } = require('../../simulator/dist/domain/spine.js');

const clock = new SimClock();
const engine = (store) =>
  new FaultEngine(
    store.faults,
    clock,
    new SpineStatus(),
    () => ['s11'],
    () => undefined,
  );
// openStore is async (a postgres:// store connects first); 'memory' is an in-memory SQLite store.
const empty = engine(await openStore('memory', tmpdir()));
const loaded = engine(await openStore('memory', tmpdir()));
await empty.load();
await loaded.load();
for (let i = 0; i < 100; i++) {
  await loaded.add(
    i % 2 === 0
      ? { match: { surface: 'fhir-r4' }, fault: { kind: 'status', status: 503 }, start: 'PT1H' }
      : { match: { surface: 'fhir-r4', path: `/fhir/R4/Patient/${i}/*` }, fault: { kind: 'latency', ms: 10 } },
  );
}
const request = {
  method: 'GET',
  path: '/fhir/R4/metadata',
  query: new URLSearchParams(),
  headers: {},
  body: Buffer.alloc(0),
  params: {},
  node: 's11',
  remoteAddress: '127.0.0.1',
  traceId: 't',
  annotations: {},
  surface: { name: 'fhir-r4' },
};

function round(faults, count) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    if (faults.plan(request, clock.now()) !== undefined) throw new Error('bench: an inactive rule faulted');
  }
  return Number(process.hrtime.bigint() - started) / count;
}
const loadAtStart = loadavg()[0];
const COUNT = 200_000;
round(loaded, COUNT);
const none = [];
const hundred = [];
for (let i = 0; i < 5; i++) {
  none.push(round(empty, COUNT));
  hundred.push(round(loaded, COUNT));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
process.stdout.write(
  JSON.stringify({
    summary: {
      noRulesNsPerRequest: Math.round(median(none)),
      inactiveRulesNsPerRequest: Math.round(median(hundred)),
    },
    loadAverageAtStart: Math.round(loadAtStart * 10) / 10,
    note: 'In-process, no network; both medians come from the same alternating rounds.',
  }),
);
