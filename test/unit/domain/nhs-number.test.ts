import {
  formatNhsNumber,
  isValidNhsNumber,
  nhsCheckDigit,
  normaliseNhsNumber,
} from '@gpsim/simulator/domain/nhs-number';

describe('NHS number Modulus 11 (reference/domain.md §4.1)', () => {
  it.each([
    '9999999999',
    '9000000009',
    '9000000084',
    '9690937278',
    '9476719931',
    '9651258500',
    '9434765919',
    '4917111072',
  ])('accepts %s, a number the reference checked as valid', (number) => {
    expect(isValidNhsNumber(number)).toBe(true);
  });

  it('rejects the SIDeR example 4123456789, whose check digit is wrong', () => {
    expect(isValidNhsNumber('4123456789')).toBe(false);
  });

  it('rejects numbers that are not ten digits', () => {
    expect(isValidNhsNumber('999999999')).toBe(false);
    expect(isValidNhsNumber('99999999999')).toBe(false);
    expect(isValidNhsNumber('999999999X')).toBe(false);
  });

  it('treats 11 - remainder = 11 as check digit 0', () => {
    // Weighted sum 0: remainder 0, 11 - 0 = 11, which the algorithm maps to 0.
    expect(nhsCheckDigit('000000000')).toBe(0);
  });

  it('has no valid number for a stem whose check would be 10', () => {
    // The last stem digit has weight 2: 6 * 2 = 12, remainder 1, 11 - 1 = 10 (never issued).
    expect(nhsCheckDigit('000000006')).toBeUndefined();
  });

  it('formats as 3-3-4 and normalises the displayed form back', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943 476 591')).toBeUndefined();
  });
});
