// Resident memory after touching 100,000 patients and their records through the engine's caches.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Population } = require('../../simulator/dist/population/population.js');

// 50 practices of 2,000 patients: 102,000 patients with the public test practice.
const population = new Population({
  seed: 'bench',
  practices: 50,
  patientsPerPractice: 2000,
  populationDate: '2026-11-01',
});
const baseline = process.memoryUsage().rss;
const started = performance.now();
let touched = 0;
for (let ordinal = 0; ordinal < 100_000; ordinal++) {
  const patient = population.patient(ordinal);
  population.record(patient);
  touched++;
}
globalThis.gc?.();
const rss = process.memoryUsage().rss;
process.stdout.write(
  JSON.stringify({
    summary: { rssMiB: Math.round(rss / 2 ** 20), targetMiB: 300, touched },
    baselineRssMiB: Math.round(baseline / 2 ** 20),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    caches: population.cacheSizes(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
