import { archetypeKeys } from '@gpsim/simulator/domain/archetypes';
import type { Patient } from '@gpsim/simulator/domain/patient';
import { matchScore, mayMatch } from '@gpsim/simulator/surfaces/pds/patient-matcher';
import { parsePdsSearch } from '@gpsim/simulator/surfaces/pds/search-query';
import { defaultPopulation } from '../../../support/population';

const population = defaultPopulation({ practices: 1, patientsPerPractice: 100 });
const practice = population.practices[0];
const base = practice && population.patientAt(practice, archetypeKeys.indexOf('standard'));
if (!base) throw new Error('no standard patient');

/** A patient with known demographics, so every expectation below can be read off the fixture. */
const jane: Patient = {
  ...base,
  name: { prefix: 'Mrs', given: ['Jane', 'Anne'], family: 'Smith' },
  sex: 'female',
  birthDate: '2010-10-22',
  address: { line: ['1 Trevelyan Square'], city: 'Leeds', postalCode: 'LS1 6AE' },
  telecom: [
    { system: 'phone', value: '01632 960587', use: 'home' },
    { system: 'email', value: 'Jane.Smith@example.com', use: 'home' },
  ],
};
const ODS = 'Y12345';

function score(query: string, patient: Patient = jane, ods: string | undefined = ODS): number | undefined {
  return matchScore(parsePdsSearch(new URLSearchParams(query)), patient, ods);
}

describe('PDS matching and scoring', () => {
  it('scores an exact match 1.0 ([search] lines 61-66)', () => {
    expect(score('family=Smith&given=Jane&gender=female&birthdate=eq2010-10-22')).toBe(1);
  });

  it('is not case sensitive ([yaml] lines 498, 517)', () => {
    expect(score('family=SMITH&birthdate=2010-10-22')).toBe(1);
  });

  it('scores a wildcard match below 1.0, so _exact-match leaves it out ([yaml] line 462)', () => {
    const wildcard = score('family=Sm*&birthdate=2010-10-22');
    expect(wildcard).toBeGreaterThan(0);
    expect(wildcard).toBeLessThan(1);
  });

  it('matches a date inside a ge/le range ([yaml] lines 551-567)', () => {
    expect(score('family=Smith&birthdate=ge2010-10-21&birthdate=le2010-10-23')).toBe(1);
    expect(score('family=Smith&birthdate=ge2010-10-23')).toBeUndefined();
  });

  it('does not match homophones without _fuzzy-match ([search] lines 114-119)', () => {
    expect(score('family=Smythe&given=Jane&birthdate=2010-10-22')).toBeUndefined();
  });

  it('matches homophones by Soundex in a fuzzy search, below 1.0 ([search] line 128)', () => {
    const fuzzy = score('_fuzzy-match=true&family=Smythe&given=Jane&birthdate=2010-10-22');
    expect(fuzzy).toBeGreaterThan(0);
    expect(fuzzy).toBeLessThan(1);
  });

  it('matches transposed names in a fuzzy search ([search] line 129)', () => {
    expect(score('_fuzzy-match=true&family=Jane&given=Smith&birthdate=2010-10-22')).toBeGreaterThan(0);
    expect(score('family=Jane&given=Smith&birthdate=2010-10-22')).toBeUndefined();
  });

  it('matches later given names in order ([yaml] lines 522-529)', () => {
    expect(score('family=Smith&given=Jane&given=Anne&birthdate=2010-10-22')).toBe(1);
    expect(score('family=Smith&given=Jane&given=Mary&birthdate=2010-10-22')).toBeUndefined();
  });

  it('matches a wildcard against the start of the first given name only ([yaml] line 519)', () => {
    expect(score('family=Smith&given=Ja*&birthdate=2010-10-22')).toBeGreaterThan(0);
    expect(score('family=Smith&given=An*&birthdate=2010-10-22')).toBeUndefined();
  });

  it('matches postcodes ignoring spaces, and by wildcard ([yaml] lines 597-609)', () => {
    expect(score('family=Smith&birthdate=2010-10-22&address-postalcode=LS16AE')).toBe(1);
    expect(score('family=Smith&birthdate=2010-10-22&address-postalcode=LS1*')).toBeLessThan(1);
    expect(score('family=Smith&birthdate=2010-10-22&address-postalcode=LS2*')).toBeUndefined();
  });

  it('filters on the registered practice in a non-fuzzy search, but only scores it in a fuzzy one ([search] line 142)', () => {
    expect(score('family=Smith&birthdate=2010-10-22&general-practitioner=y12345')).toBe(1);
    expect(score('family=Smith&birthdate=2010-10-22&general-practitioner=A20047')).toBeUndefined();
    const fuzzy = score('_fuzzy-match=true&family=Smith&given=Jane&birthdate=2010-10-22&general-practitioner=A20047');
    expect(fuzzy).toBeGreaterThan(0);
    expect(fuzzy).toBeLessThan(1);
  });

  it('filters on date of death in a non-fuzzy search ([yaml] lines 573-579)', () => {
    expect(score('family=Smith&birthdate=2010-10-22&death-date=le2020-01-01')).toBeUndefined();
    expect(
      score('family=Smith&birthdate=2010-10-22&death-date=le2020-01-01', { ...jane, deceasedDate: '2019-05-01' }),
    ).toBe(1);
  });

  it('matches email case-insensitively and phone exactly, fuzzy or not ([search] lines 202-206)', () => {
    expect(score('family=Smith&birthdate=2010-10-22&email=jane.smith@EXAMPLE.com')).toBe(1);
    expect(score('family=Smith&birthdate=2010-10-22&phone=01632960587')).toBe(1);
    expect(score('family=Smith&birthdate=2010-10-22&phone=01632960588')).toBeUndefined();
    expect(
      score('_fuzzy-match=true&family=Smith&given=Jane&birthdate=2010-10-22&email=other@example.com'),
    ).toBeUndefined();
  });

  it('pre-filters on the names and sex the demographic index holds', () => {
    const query = parsePdsSearch(new URLSearchParams('family=Sm*&gender=female&birthdate=2010-10-22'));
    expect(mayMatch(query, 'smith', 'jane', 'female')).toBe(true);
    expect(mayMatch(query, 'smith', 'jane', 'male')).toBe(false);
    expect(mayMatch(query, 'jones', 'jane', 'female')).toBe(false);
  });
});
