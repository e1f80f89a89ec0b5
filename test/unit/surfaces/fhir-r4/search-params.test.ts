import { isSimError } from '@gpsim/simulator/domain/errors';
import { dayNumber } from '@gpsim/simulator/population/dates';
import {
  DEFAULT_COUNT,
  MAX_COUNT,
  parseBirthdate,
  parsePaging,
  parsePatientReference,
  parseToken,
  rejectModifiers,
  single,
} from '@gpsim/simulator/surfaces/fhir-r4/search-params';

function errorOf(run: () => unknown): { code: string; field: string | undefined } {
  try {
    run();
  } catch (error) {
    if (isSimError(error)) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected a SimError');
}

describe('FHIR R4 search parameters', () => {
  it('pages 50 at a time from the start unless told otherwise', () => {
    expect(parsePaging(new URLSearchParams())).toEqual({ count: DEFAULT_COUNT, offset: 0 });
    expect(parsePaging(new URLSearchParams('_count=10&_offset=20'))).toEqual({ count: 10, offset: 20 });
  });

  it('caps _count at the maximum rather than refusing it, and accepts 0 (total only)', () => {
    expect(parsePaging(new URLSearchParams('_count=100000')).count).toBe(MAX_COUNT);
    expect(parsePaging(new URLSearchParams('_count=0')).count).toBe(0);
  });

  it.each(['abc', '-1', '1.5', '', '1e3'])('rejects _count=%s with a 400 naming _count', (value) => {
    expect(errorOf(() => parsePaging(new URLSearchParams({ _count: value })))).toEqual({
      code: 'invalid-parameter',
      field: '_count',
    });
  });

  it('rejects a malformed _offset', () => {
    expect(errorOf(() => parsePaging(new URLSearchParams('_offset=x'))).field).toBe('_offset');
  });

  it('refuses a known parameter given twice', () => {
    expect(errorOf(() => single(new URLSearchParams('family=a&family=b'), 'family')).field).toBe('family');
  });

  it('refuses modifiers on known parameters but not on unknown ones', () => {
    expect(errorOf(() => rejectModifiers(new URLSearchParams('family:exact=Smith'), ['family'])).field).toBe(
      'family:exact',
    );
    expect(() => rejectModifiers(new URLSearchParams('name:contains=x'), ['family'])).not.toThrow();
  });

  it('reads tokens as system|code, |code or code (FHIR R4 search, token)', () => {
    expect(parseToken('https://fhir.nhs.uk/Id/nhs-number|9000000009')).toEqual({
      system: 'https://fhir.nhs.uk/Id/nhs-number',
      code: '9000000009',
    });
    expect(parseToken('|9000000009')).toEqual({ system: '', code: '9000000009' });
    expect(parseToken('9000000009')).toEqual({ system: undefined, code: '9000000009' });
  });

  it('reads a birth date with or without the eq prefix as that one day', () => {
    const day = dayNumber('1962-02-16');
    expect(parseBirthdate('1962-02-16')).toEqual({ from: day, to: day });
    expect(parseBirthdate('eq1962-02-16')).toEqual({ from: day, to: day });
  });

  it('reads a month or a year as every day in it (FHIR date precision)', () => {
    expect(parseBirthdate('2024-02')).toEqual({ from: dayNumber('2024-02-01'), to: dayNumber('2024-02-29') });
    expect(parseBirthdate('1962')).toEqual({ from: dayNumber('1962-01-01'), to: dayNumber('1962-12-31') });
  });

  it.each(['1962-02-30', '1962-13-01', '16-02-1962', 'yesterday', 'ge1962-02-16', 'lt1962', '0050-01-01'])(
    'rejects birthdate=%s with a 400 naming birthdate',
    (value) => {
      expect(errorOf(() => parseBirthdate(value))).toEqual({ code: 'invalid-parameter', field: 'birthdate' });
    },
  );

  it('takes the patient as an id, Patient/{id} or an absolute Patient URL', () => {
    const id = 'c57aa854-6da9-40ed-a9c6-d498f2d1e03c';
    expect(parsePatientReference(id)).toBe(id);
    expect(parsePatientReference(`Patient/${id}`)).toBe(id);
    expect(parsePatientReference(`http://127.0.0.1:4100/fhir/R4/Patient/${id}`)).toBe(id);
  });

  it.each(['Practitioner/abc', 'Patient/', 'a b'])('rejects patient=%s', (value) => {
    expect(errorOf(() => parsePatientReference(value)).field).toBe('patient');
  });
});
