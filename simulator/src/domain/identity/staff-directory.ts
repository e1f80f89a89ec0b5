import type { Practice, StaffUser } from '../estate';
import type { Population } from '../../population/population';

/** Finds a staff user by username, case-insensitively, anywhere in the estate. */
export function findStaff(population: Population, username: string): StaffUser | undefined {
  return rolesOfUser(population, username)[0];
}

/** The practice's default GP: who auto-approved standalone launches act as. */
export function defaultGp(practice: Practice): StaffUser | undefined {
  return practice.staff.find((member) => member.role === 'gp') ?? practice.staff[0];
}

/**
 * Every role the person with this username holds, in estate order: one per practice they work at
 * (multi-site staff hold several, each with its own SDS role profile id). The first is their default.
 */
export function rolesOfUser(population: Population, username: string): StaffUser[] {
  return population.estate.staff.rolesOf(username);
}

/** The person's role with this SDS role profile id, if they hold it. */
export function findStaffRole(population: Population, username: string, roleId: string): StaffUser | undefined {
  return rolesOfUser(population, username).find((role) => role.sdsRoleProfileId === roleId);
}
