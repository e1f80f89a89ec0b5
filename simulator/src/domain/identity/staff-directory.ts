import type { Practice, StaffUser } from '../estate';
import type { Population } from '../../population/population';

/** Finds a staff user by username, case-insensitively, anywhere in the estate. */
export function findStaff(population: Population, username: string): StaffUser | undefined {
  const wanted = username.toLowerCase();
  for (const practice of population.practices) {
    const member = practice.staff.find((candidate) => candidate.username.toLowerCase() === wanted);
    if (member) return member;
  }
  return undefined;
}

/** The practice's default GP: who auto-approved standalone launches act as. */
export function defaultGp(practice: Practice): StaffUser | undefined {
  return practice.staff.find((member) => member.role === 'gp') ?? practice.staff[0];
}
