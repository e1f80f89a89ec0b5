import { soundex } from '@gpsim/simulator/surfaces/pds/soundex';

describe('Soundex (PDS fuzzy search matches homophones with it: patient-search.yaml, "Fuzzy search")', () => {
  it.each([
    ['smith', 'S530'],
    ['smythe', 'S530'],
    ['robert', 'R163'],
    ['rupert', 'R163'],
    ['tymczak', 'T522'],
    ['pfister', 'P236'],
    ['ashcraft', 'A261'],
    ['lee', 'L000'],
    ["o'reilly", 'O640'],
  ])('codes %s as %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it('gives different codes to names that do not sound alike', () => {
    expect(soundex('smith')).not.toBe(soundex('jones'));
  });

  it('has no code for a name without letters', () => {
    expect(soundex('-')).toBe('');
  });
});
