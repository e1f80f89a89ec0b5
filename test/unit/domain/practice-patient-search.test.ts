import { searchPracticeList } from '@gpsim/simulator/domain/practice-patient-search';
import type { Patient } from '@gpsim/simulator/domain/patient';
import { defaultPopulation } from '../../support/population';

describe('searchPracticeList (partner API demographic search)', () => {
  const population = defaultPopulation({ patientsPerPractice: 300 });
  const practice = population.practices[1];
  if (!practice) throw new Error('the default estate has practices');
  const patients = Array.from({ length: practice.listSize }, (_, i) => population.patientAt(practice, i)).filter(
    (patient): patient is Patient => patient !== undefined,
  );
  const someone = patients.find((patient) => !patient.sensitive && patient.archetype === 'standard') as Patient;

  it('finds a patient by surname and birth date through the index, only from this practice', () => {
    const found = searchPracticeList(
      population,
      practice,
      { surname: someone.name.family, dateOfBirth: someone.birthDate },
      50,
    );
    expect(found.map((patient) => patient.ordinal)).toContain(someone.ordinal);
    expect(found.every((patient) => patient.practiceIndex === practice.index)).toBe(true);
  });

  it('finds by surname and postcode by scanning the list, ignoring case and spaces', () => {
    const found = searchPracticeList(
      population,
      practice,
      {
        surname: someone.name.family.toUpperCase(),
        postcode: someone.address.postalCode.replace(' ', '').toLowerCase(),
      },
      50,
    );
    expect(found.map((patient) => patient.ordinal)).toContain(someone.ordinal);
  });

  it('never returns a sensitive patient, even on an exact match', () => {
    const sensitive = patients.find((patient) => patient.sensitive) as Patient;
    const found = searchPracticeList(
      population,
      practice,
      { surname: sensitive.name.family, dateOfBirth: sensitive.birthDate },
      50,
    );
    expect(found.map((patient) => patient.ordinal)).not.toContain(sensitive.ordinal);
  });

  it('stops at the limit', () => {
    expect(
      searchPracticeList(population, practice, { sex: 'female', surname: someone.name.family }, 1).length,
    ).toBeLessThanOrEqual(1);
  });
});
