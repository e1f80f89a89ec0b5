// Patients computed per second on one core: demographics alone, and demographics with the full coded record.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Population } = require('../../simulator/dist/population/population.js');
const { generatePatient } = require('../../simulator/dist/population/patient-generator.js');
const { generateRecord } = require('../../simulator/dist/population/record-generator.js');
const { countEntries } = require('../../simulator/dist/domain/clinical-record.js');

const population = new Population({
  seed: 'bench',
  practices: 6,
  patientsPerPractice: 20000,
  populationDate: '2026-11-01',
});
const { estate, reference } = population;

function rate(label, count, work) {
  const samples = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const extra = work(round);
    samples.push({ perSecond: count / ((performance.now() - started) / 1000), extra });
  }
  samples.sort((a, b) => a.perSecond - b.perSecond);
  return {
    label,
    median: Math.round(samples[2].perSecond),
    samples: samples.map((s) => Math.round(s.perSecond)),
    extra: samples[2].extra,
  };
}

// Warm-up so the JIT has compiled the generators.
for (let i = 0; i < 3000; i++)
  generateRecord(
    estate,
    reference,
    estate.practices[0],
    generatePatient(estate, reference, estate.practices[0], i % 20000),
  );

const demographics = rate('demographics', 20000, (round) => {
  const practice = estate.practices[1 + round];
  for (let i = 0; i < 20000; i++) generatePatient(estate, reference, practice, i);
});
const fullRecords = rate('patient with full coded record', 4000, (round) => {
  const practice = estate.practices[1 + round];
  let entries = 0;
  for (let i = 0; i < 4000; i++)
    entries += countEntries(
      generateRecord(estate, reference, practice, generatePatient(estate, reference, practice, i)),
    );
  return { averageEntries: Math.round(entries / 4000) };
});
process.stdout.write(
  JSON.stringify({
    summary: {
      patientsPerSecond: demographics.median,
      patientsWithRecordPerSecond: fullRecords.median,
      averageEntriesPerRecord: fullRecords.extra.averageEntries,
      target: '>= 20,000 patients/s',
    },
    demographics,
    fullRecords,
  }),
);
