import { isSimError } from '@gpsim/simulator/domain/errors';
import { dayNumber } from '@gpsim/simulator/population/dates';
import { parsePdsSearch } from '@gpsim/simulator/surfaces/pds/search-query';

/**
 * The PDS search rules, each cited to NHSDigital/personal-demographics-service-api:
 * [yaml] specification/personal-demographics.yaml, [search] specification/components/paths/patient-search.yaml,
 * [sandbox] karate-tests/src/test/java/mocks/sandbox/get-patient-search.js.
 */
function refusal(query: string): { code: unknown; message: string } {
  try {
    parsePdsSearch(new URLSearchParams(query));
  } catch (error) {
    if (isSimError(error)) return { code: error.detail?.['pdsCode'], message: error.message };
    throw error;
  }
  throw new Error(`expected ${query} to be refused`);
}

describe('PDS search parameters', () => {
  it('answers UNSUPPORTED_SERVICE when no parameters are given ([search] line 286)', () => {
    expect(refusal('').code).toBe('UNSUPPORTED_SERVICE');
  });

  it('answers ADDITIONAL_PROPERTIES naming an unrecognised parameter ([search] line 289, [sandbox] line 102)', () => {
    expect(refusal('family=Smith&birthdate=eq2010-10-22&year=2003')).toEqual({
      code: 'ADDITIONAL_PROPERTIES',
      message: "Invalid request with error - Additional properties are not allowed ('year' was unexpected)",
    });
  });

  it('checks dates before the minimum parameters ([sandbox] validateDateFields, searchErrors.feature)', () => {
    expect(refusal('family=Smith&given=jane&gender=female&death-date=20101022')).toEqual({
      code: 'INVALID_VALUE',
      message: "Invalid value - '20101022' in field 'death-date'",
    });
    expect(refusal('family=Smith&birthdate=20101022').message).toBe("Invalid value - '20101022' in field 'birthdate'");
    expect(refusal('family=Smith&birthdate=eq2010-02-30').code).toBe('INVALID_VALUE');
  });

  it('requires a date of birth: MISSING_VALUE, even for an email and phone search ([sandbox] line 133)', () => {
    expect(refusal('email=j.smith@example.com&phone=0163')).toEqual({
      code: 'MISSING_VALUE',
      message: "Missing value - 'birth_date/birth_date_range_start/birth_date_range_end'",
    });
  });

  it('requires a family name for a non-fuzzy search ([search] lines 122-124)', () => {
    expect(refusal('birthdate=eq2010-10-22&gender=female').code).toBe('INVALID_SEARCH_DATA');
  });

  it.each([
    ['given, family and date of birth', 'given=Jane&family=Smith&birthdate=2010-10-22'],
    [
      'family, date of birth, gender and postcode',
      'family=Smith&birthdate=2010-10-22&gender=female&address-postalcode=LS1 6AE',
    ],
    [
      'given, date of birth, gender and postcode',
      'given=Jane&birthdate=2010-10-22&gender=female&address-postalcode=LS1 6AE',
    ],
  ])('accepts a fuzzy search on %s ([search] lines 137-140)', (_name, query) => {
    expect(parsePdsSearch(new URLSearchParams(`_fuzzy-match=true&${query}`)).fuzzy).toBe(true);
  });

  it('refuses a fuzzy search on family and date of birth alone ([search] lines 137-140)', () => {
    expect(refusal('_fuzzy-match=true&family=Smith&birthdate=2010-10-22').code).toBe('INVALID_SEARCH_DATA');
  });

  it('refuses a wildcard in the first two characters ([yaml] lines 499, 518, 601)', () => {
    expect(refusal('family=S*&birthdate=2010-10-22').code).toBe('INVALID_SEARCH_DATA');
    expect(refusal('family=Smith&birthdate=2010-10-22&address-postalcode=L*').code).toBe('INVALID_SEARCH_DATA');
  });

  it('refuses wildcards in a fuzzy search ([yaml] line 453)', () => {
    expect(refusal('_fuzzy-match=true&family=Sm*&given=Jane&birthdate=2010-10-22').code).toBe('INVALID_SEARCH_DATA');
  });

  it('turns wildcards into patterns anchored at the start of the name: Sm*t* matches Smith and Smythe ([yaml] lines 505-507, 519)', () => {
    const { family } = parsePdsSearch(new URLSearchParams('family=Sm*t*&birthdate=2010-10-22'));
    expect(family?.pattern?.test('smith')).toBe(true);
    expect(family?.pattern?.test('smythe')).toBe(true);
    expect(family?.pattern?.test('smale')).toBe(false);
    expect(family?.pattern?.test('asmith')).toBe(false);
  });

  it('folds names: not case sensitive ([yaml] lines 498, 517)', () => {
    expect(parsePdsSearch(new URLSearchParams('family=SMITH&birthdate=2010-10-22')).family?.text).toBe('smith');
  });

  it('refuses names over 35 characters ([yaml] line 498)', () => {
    expect(refusal(`family=${'a'.repeat(36)}&birthdate=2010-10-22`).code).toBe('INVALID_VALUE');
  });

  it('ignores spaces and case in postcodes ([yaml] lines 599-600)', () => {
    const query = parsePdsSearch(new URLSearchParams('family=Smith&birthdate=2010-10-22&address-postalcode=ls1 6ae'));
    expect(query.postcode?.text).toBe('LS16AE');
  });

  it('refuses address-postcode together with address-postalcode ([yaml] lines 617-618)', () => {
    expect(refusal('family=Smith&birthdate=2010-10-22&address-postcode=LS1 6AE&address-postalcode=LS1 6AE').code).toBe(
      'INVALID_SEARCH_DATA',
    );
  });

  it('reads birthdate as eq, ge, le or a ge+le range ([yaml] lines 551-567)', () => {
    const day = dayNumber('2010-10-22');
    const range = (birthdate: string) => parsePdsSearch(new URLSearchParams(`family=Smith&${birthdate}`)).birthdate;
    expect(range('birthdate=2010-10-22')).toEqual({ from: day, to: day });
    expect(range('birthdate=eq2010-10-22')).toEqual({ from: day, to: day });
    expect(range('birthdate=ge2010-10-22')).toEqual({ from: day, to: Infinity });
    expect(range('birthdate=le2010-10-22')).toEqual({ from: -Infinity, to: day });
    expect(range('birthdate=ge2010-10-21&birthdate=le2010-10-23')).toEqual({ from: day - 1, to: day + 1 });
    expect(refusal('family=Smith&birthdate=ge2010-10-21&birthdate=ge2010-10-23').code).toBe('INVALID_SEARCH_DATA');
  });

  it('defaults _max-results to 50 and accepts 1 to 50 only ([yaml] lines 481-492)', () => {
    expect(parsePdsSearch(new URLSearchParams('family=Smith&birthdate=2010-10-22')).maxResults).toBe(50);
    expect(parsePdsSearch(new URLSearchParams('family=Smith&birthdate=2010-10-22&_max-results=1')).maxResults).toBe(1);
    expect(refusal('family=Smith&birthdate=2010-10-22&_max-results=51').message).toBe(
      "Invalid value - '51' in field '_max-results'",
    );
    expect(refusal('family=Smith&birthdate=2010-10-22&_max-results=0').code).toBe('INVALID_VALUE');
  });

  it("refuses a gender outside male, female, other, unknown with PDS's example diagnostics ([search] line 310)", () => {
    expect(refusal('family=Smith&birthdate=2010-10-22&gender=mal').message).toBe(
      "Invalid value - 'mal' in field 'gender'",
    );
  });

  it('accepts repeated given names for middle names ([yaml] lines 522-527)', () => {
    const query = parsePdsSearch(new URLSearchParams('family=Smith&given=John Paul&given=James&birthdate=2010-10-22'));
    expect(query.given.map((given) => given.text)).toEqual(['john paul', 'james']);
  });
});
