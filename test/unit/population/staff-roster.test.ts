import { Population } from '@gpsim/simulator/population/population';
import { defaultPopulation } from '../../support/population';

// Staff are computed when first read and kept for a bounded number of practices (decision 001), so
// these tests check that the order and eviction of that cache never change who works where.
describe('practice staff, computed on demand', () => {
  const spec = { ...defaultPopulation().estate.spec, practices: 2_000, patientsPerPractice: 140 };

  it('computes no staff list while the estate is built', () => {
    const population = new Population(spec);
    expect(population.practices).toHaveLength(2_001);
    expect(population.cacheSizes().staffPractices).toBe(0);
  });

  it('keeps at most the configured number of practices staff lists in memory', () => {
    const population = new Population(spec, { practiceCacheSize: 10 });
    for (const practice of population.practices.slice(0, 50)) expect(practice.staff.length).toBeGreaterThan(0);
    expect(population.cacheSizes().staffPractices).toBe(10);
  });

  it('gives the same staff whichever practices were read before, and after eviction', () => {
    const warm = new Population(spec, { practiceCacheSize: 3 });
    const readBefore = JSON.stringify(warm.practices[1_500]?.staff);
    for (const practice of warm.practices.slice(0, 20)) void practice.staff;
    const cold = new Population(spec, { practiceCacheSize: 3 });
    expect(JSON.stringify(cold.practices[1_500]?.staff)).toBe(readBefore);
    expect(JSON.stringify(warm.practices[1_500]?.staff)).toBe(readBefore);
  });

  // In this estate a handful of people draw a first-choice username someone earlier already holds,
  // so a per-practice uniqueness check alone would fail here.
  it('keeps usernames unique per person across the estate, not just within a practice', () => {
    const population = new Population(spec, { practiceCacheSize: 50 });
    const personOf = new Map<string, string>();
    for (const practice of population.practices) {
      for (const member of practice.staff) {
        const holder = personOf.get(member.username);
        if (holder !== undefined) expect(holder).toBe(member.sdsUserId);
        personOf.set(member.username, member.sdsUserId);
      }
    }
  });

  it('finds every role of a username, case-insensitively, in estate order, without reading every practice', () => {
    const population = new Population(spec, { practiceCacheSize: 5 });
    const practice = population.practices[700];
    const ownGps = practice?.staff.slice(0, -1).filter((member) => member.role === 'gp') ?? [];
    const locum = ownGps.at(-1);
    const roles = population.estate.staff.rolesOf(locum?.username.toUpperCase() ?? '');
    // The multi-site GP also works at the next practice (see the default estate's tests).
    expect(roles.map((role) => role.ods)).toEqual([practice?.ods, population.practices[701]?.ods]);
    expect(roles[0]).toEqual(locum);
    expect(population.cacheSizes().staffPractices).toBeLessThanOrEqual(5);
    expect(population.estate.staff.rolesOf('nobody1234')).toEqual([]);
  });
});
