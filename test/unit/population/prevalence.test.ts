import type { ConditionKey, Patient } from '@gpsim/simulator/domain/patient';
import { ageOn } from '@gpsim/simulator/population/dates';
import { conditionModels } from '@gpsim/simulator/population/condition-model';
import { defaultPopulation } from '../../support/population';

/** Condition rates follow reference/codes/prevalence.md (QOF 2019/20 and GM ever-recorded figures). */
describe('condition prevalence and list shape', () => {
  const population = defaultPopulation();
  const patients: Patient[] = [];
  for (const practice of population.practices) {
    for (let index = 0; index < practice.listSize; index++)
      patients.push(population.patientAt(practice, index) as Patient);
  }
  const count = (key: ConditionKey, within = patients) =>
    within.filter((patient) => patient.conditions.includes(key)).length;
  const date = population.estate.spec.populationDate;

  it('a practice of 2,000 has about 280 hypertensives and 110 diabetics', () => {
    for (const practice of population.practices) {
      const list = patients.filter((patient) => patient.practiceIndex === practice.index);
      // Binomial spread at n = 2000: about +-16 for hypertension and +-10 for diabetes; allow 3 sd.
      expect(count('hypertension', list)).toBeGreaterThan(280 - 50);
      expect(count('hypertension', list)).toBeLessThan(280 + 50);
      const diabetics = count('diabetes-type-2', list) + count('diabetes-type-1', list);
      expect(diabetics).toBeGreaterThan(110 - 35);
      expect(diabetics).toBeLessThan(110 + 35);
    }
  });

  it.each(conditionModels.map((model) => [model.key, model.prevalence, model.minAge] as const))(
    '%s matches its published rate within sampling error across the estate',
    (key, prevalence, minAge) => {
      const denominator = patients.filter((patient) => ageOn(patient.birthDate, date) >= minAge);
      const expected = prevalence * denominator.length;
      const sd = Math.sqrt(expected * (1 - prevalence));
      // Archetypes with forced conditions (98 of 14,000 patients) nudge a few rates; 4 sd plus that margin.
      expect(Math.abs(count(key, denominator) - expected)).toBeLessThan(4 * sd + 12);
    },
  );

  it('concentrates long-term conditions in older patients', () => {
    const older = patients.filter((patient) => ageOn(patient.birthDate, date) >= 65);
    const younger = patients.filter((patient) => ageOn(patient.birthDate, date) < 40);
    expect(count('hypertension', older) / older.length).toBeGreaterThan(
      5 * (count('hypertension', younger) / younger.length),
    );
  });

  it('has the age shape of a GP list: about 18% under 15 and about 19% aged 65 and over', () => {
    const under15 = patients.filter((patient) => ageOn(patient.birthDate, date) < 15).length / patients.length;
    const over65 = patients.filter((patient) => ageOn(patient.birthDate, date) >= 65).length / patients.length;
    // Census 2021 quinary shares: 0-14 = 17.3%, 65+ = 18.3% (prevalence.md §2b).
    expect(under15).toBeGreaterThan(0.15);
    expect(under15).toBeLessThan(0.2);
    expect(over65).toBeGreaterThan(0.16);
    expect(over65).toBeLessThan(0.21);
  });

  it('has roughly as many women as men, with women the majority among the oldest', () => {
    const female = patients.filter((patient) => patient.sex === 'female').length / patients.length;
    expect(female).toBeGreaterThan(0.47);
    expect(female).toBeLessThan(0.54);
    const oldest = patients.filter((patient) => ageOn(patient.birthDate, date) >= 85);
    expect(oldest.filter((patient) => patient.sex === 'female').length / oldest.length).toBeGreaterThan(0.52);
  });

  it('gives nobody a type 1 and a type 2 diabetes diagnosis at once', () => {
    expect(
      patients.some((p) => p.conditions.includes('diabetes-type-1') && p.conditions.includes('diabetes-type-2')),
    ).toBe(false);
  });
});
