// Resident memory after touching 100,000 patients through the population's bounded caches.
// Argument "demographics" reads patients only (what a patient read or search touches);
// "records" also computes each patient's full coded record.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Population } = require('../../simulator/dist/population/population.js');

const mode = process.argv[2] === 'records' ? 'records' : 'demographics';
// 50 practices of 2,000 patients: 102,000 patients with the public test practice.
const population = new Population({
  seed: 'bench',
  practices: 50,
  patientsPerPractice: 2000,
  populationDate: '2026-11-01',
});
const baseline = process.memoryUsage().rss;
const started = performance.now();
for (let ordinal = 0; ordinal < 100_000; ordinal++) {
  const patient = population.patient(ordinal);
  if (mode === 'records') population.record(patient);
}
globalThis.gc?.();
process.stdout.write(
  JSON.stringify({
    mode,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    baselineRssMiB: Math.round(baseline / 2 ** 20),
    caches: population.cacheSizes(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
