import { isValidNhsNumber } from '@gpsim/simulator/domain/nhs-number';
import { NhsNumberAllocator } from '@gpsim/simulator/population/nhs-number-allocator';

describe('NHS numbers issued to the estate', () => {
  const allocator = new NhsNumberAllocator('gpsim');

  it('issues only valid numbers inside the 999 000 0000 - 999 999 9999 test range', () => {
    for (let ordinal = 0; ordinal < 50_000; ordinal++) {
      const number = allocator.numberFor(ordinal);
      expect(number).toMatch(/^999\d{7}$/);
      if (!isValidNhsNumber(number)) throw new Error(`ordinal ${ordinal} got invalid ${number}`);
    }
  });

  it('never issues the same number twice and maps every number back to its ordinal', () => {
    const seen = new Set<string>();
    for (let ordinal = 0; ordinal < 50_000; ordinal++) {
      const number = allocator.numberFor(ordinal);
      expect(seen.has(number)).toBe(false);
      seen.add(number);
      expect(allocator.ordinalFor(number)).toBe(ordinal);
    }
  });

  it('covers the whole range: capacity equals the count of valid 999 numbers', () => {
    // Of the 1,000,000 stems 999000000-999999999, those whose check digit would be 10 are skipped.
    expect(allocator.capacity).toBeGreaterThan(900_000);
    expect(allocator.capacity).toBeLessThan(1_000_000);
    const last = allocator.numberFor(allocator.capacity - 1);
    expect(allocator.ordinalFor(last)).toBe(allocator.capacity - 1);
  });

  it('does not recognise numbers outside the range or with a bad check digit', () => {
    expect(allocator.ordinalFor('9000000009')).toBeUndefined();
    const number = allocator.numberFor(7);
    const wrongCheck = number.slice(0, 9) + String((Number(number[9]) + 1) % 10);
    expect(allocator.ordinalFor(wrongCheck)).toBeUndefined();
  });

  it('depends on the seed: another seed gives other numbers', () => {
    const other = new NhsNumberAllocator('another-seed');
    expect(other.numberFor(0)).not.toBe(allocator.numberFor(0));
  });
});
