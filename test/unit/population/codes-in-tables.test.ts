import type { Concept, RecordEntry } from '@gpsim/simulator/domain/clinical-record';
import type { Patient } from '@gpsim/simulator/domain/patient';
import { archetypeKeys } from '@gpsim/simulator/domain/archetypes';
import type { ReferenceData } from '@gpsim/simulator/population/reference-data';
import { conditionCatalogue, episodeCatalogue } from '@gpsim/simulator/population/record/condition-catalogue';
import { defaultPopulation } from '../../support/population';

/** Every generated code is a real SNOMED CT / dm+d concept from the verified tables in fixtures/codes. */
describe('codes in generated records', () => {
  const population = defaultPopulation();
  const reference: ReferenceData = population.reference;

  function tableFor(entry: RecordEntry): Map<string, unknown>[] {
    switch (entry.kind) {
      case 'problem':
        return [reference.problems];
      case 'medication':
        return [reference.medications];
      case 'allergy':
        return [reference.allergies];
      case 'observation':
        return [reference.observations];
      case 'immunisation':
        return [reference.immunisations];
      case 'investigation':
      case 'referral':
      case 'document':
      case 'diary':
      case 'consultation':
      case 'appointment':
        return [reference.recordStructure];
    }
  }

  function conceptsOf(entry: RecordEntry): Concept[] {
    switch (entry.kind) {
      case 'observation':
        return [entry.concept, ...(entry.components ?? []).map((component) => component.concept)];
      case 'investigation':
        return [entry.concept, entry.specimen];
      case 'document':
        return [entry.type];
      case 'allergy':
        return [entry.concept, ...(entry.reaction ? [entry.reaction] : [])];
      case 'immunisation':
        return [entry.concept, ...(entry.notGivenReason ? [entry.notGivenReason] : [])];
      case 'consultation':
      case 'appointment':
        return [];
      case 'problem':
      case 'medication':
      case 'referral':
      case 'diary':
        return [entry.concept];
    }
  }

  it('uses only codes from fixtures/codes across thousands of records, archetypes included', () => {
    let checked = 0;
    for (const practice of population.practices) {
      for (let index = 0; index < 300; index++) {
        const record = population.record(population.patientAt(practice, index) as Patient);
        for (const entry of Object.values(record).flat() as RecordEntry[]) {
          for (const concept of conceptsOf(entry)) {
            const known =
              tableFor(entry).some((table) => table.has(concept.code)) || reference.recordStructure.has(concept.code);
            if (!known)
              throw new Error(`${entry.kind} code ${concept.code} (${concept.display}) is not in fixtures/codes`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(archetypeKeys.length).toBeLessThan(300);
  });

  it('uses only catalogue codes that exist in the right table', () => {
    for (const spec of Object.values(conditionCatalogue)) {
      for (const { code } of spec.problemCodes) expect(reference.problems.has(code)).toBe(true);
      for (const line of spec.medications)
        for (const code of line.options) expect(reference.medications.has(code)).toBe(true);
      if (spec.referral) expect(reference.recordStructure.has(spec.referral.code)).toBe(true);
    }
    for (const episode of episodeCatalogue) {
      expect(reference.problems.has(episode.code)).toBe(true);
      if (episode.medication) expect(reference.medications.has(episode.medication)).toBe(true);
    }
  });
});
