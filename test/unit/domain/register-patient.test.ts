import { demographicsMatch } from '@gpsim/simulator/domain/register-patient';
import type { Patient } from '@gpsim/simulator/domain/patient';

/** PDS verification rule (GPC foundations find/register a patient): exact DOB, or 2 of 3 DOB parts + name initials. */
describe('register patient demographics match', () => {
  const patient = { birthDate: '1952-05-31', name: { family: 'Jackson', given: ['Jane'] } } as unknown as Patient;
  const cases: [string, { family: string; given: string; birthDate: string }, boolean][] = [
    ['the exact date of birth', { family: 'Other', given: 'X', birthDate: '1952-05-31' }, true],
    [
      'two DOB parts with family prefix and given initial',
      { family: 'JACKSON', given: 'jo', birthDate: '1952-05-30' },
      true,
    ],
    ['two DOB parts but another family name', { family: 'Smith', given: 'Jane', birthDate: '1952-05-30' }, false],
    ['one DOB part only', { family: 'Jackson', given: 'Jane', birthDate: '1953-06-30' }, false],
    ['two DOB parts but another given initial', { family: 'Jackson', given: 'Mary', birthDate: '1952-05-30' }, false],
  ];
  it.each(cases)('%s → %s', (_name, sent, expected) => {
    expect(demographicsMatch(patient, { nhsNumber: '9000000009', ...sent })).toBe(expected);
  });
});
