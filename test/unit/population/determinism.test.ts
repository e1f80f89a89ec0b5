import type { Patient } from '@gpsim/simulator/domain/patient';
import { Population } from '@gpsim/simulator/population/population';
import { defaultPopulation } from '../../support/population';

describe('determinism within a process', () => {
  it('the same seed builds the same estate, patients and records, byte for byte', () => {
    const first = defaultPopulation();
    const second = defaultPopulation();
    expect(JSON.stringify(second.practices)).toBe(JSON.stringify(first.practices));
    for (const ordinal of [0, 1, 13, 11, 2_000, 7_777, 13_999]) {
      const a = first.patient(ordinal) as Patient;
      const b = second.patient(ordinal) as Patient;
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(JSON.stringify(second.record(b))).toBe(JSON.stringify(first.record(a)));
    }
  });

  it('patient i of practice p does not depend on which patients were computed before', () => {
    const warm = defaultPopulation();
    for (let ordinal = 0; ordinal < 500; ordinal++) warm.record(warm.patient(ordinal) as Patient);
    const cold = defaultPopulation();
    const target = cold.patient(321) as Patient;
    expect(JSON.stringify(cold.record(target))).toBe(JSON.stringify(warm.record(warm.patient(321) as Patient)));
  });

  it('a different seed gives a different estate', () => {
    const first = defaultPopulation();
    const other = defaultPopulation({ seed: 'another' });
    expect(other.practices[0]?.ods).not.toBe(first.practices[0]?.ods);
    expect(other.patient(0)?.nhsNumber).not.toBe(first.patient(0)?.nhsNumber);
  });

  it('keeps memory bounded: the patient cache never exceeds its capacity', () => {
    const bounded = new Population(defaultPopulation().estate.spec, { patientCacheSize: 100, recordCacheSize: 10 });
    for (let ordinal = 0; ordinal < 5_000; ordinal++) bounded.record(bounded.patient(ordinal) as Patient);
    expect(bounded.cacheSizes()).toMatchObject({ patients: 100, records: 10 });
  });
});
