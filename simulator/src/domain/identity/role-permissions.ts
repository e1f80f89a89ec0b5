import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { staffRoles } from '../estate';
import type { StaffRole } from '../estate';
import { defaultFixturesDir } from '../../population/reference-data';
import { SimError } from '../errors';

/** Levels, each including the ones before it (seeds/healthtech-go-live-guide.txt §5.1). */
export const permissionLevels = ['never', 'view', 'create-change', 'approve'] as const;
export type PermissionLevel = (typeof permissionLevels)[number];
/** What someone asks to do: every level but never. */
export type PermissionAction = Exclude<PermissionLevel, 'never'>;

export const permissionAreas = [
  'demographics',
  'appointments',
  'clinical-record',
  'sensitive-record',
  'prescriptions',
  'documents',
  'workflow-tasks',
  'patient-communications',
  'reports',
  'audit-log',
  'configuration',
  'user-accounts',
] as const;
export type PermissionArea = (typeof permissionAreas)[number];

export interface Permission {
  area: PermissionArea;
  action: PermissionAction;
}

const Level = z.enum(permissionLevels);
const RolePermissions = z.object({
  group: z.enum(['clinical', 'administrative', 'management']),
  permissions: z.strictObject(
    Object.fromEntries(permissionAreas.map((area) => [area, Level])) as Record<PermissionArea, typeof Level>,
  ),
});
const Matrix = z.object({
  description: z.string(),
  levels: z.array(Level),
  areas: z.strictObject(
    Object.fromEntries(permissionAreas.map((area) => [area, z.string()])) as Record<PermissionArea, z.ZodString>,
  ),
  roles: z.strictObject(
    Object.fromEntries(staffRoles.map((role) => [role, RolePermissions])) as Record<StaffRole, typeof RolePermissions>,
  ),
});
export type RolePermissionMatrix = z.infer<typeof Matrix>;

let loaded: RolePermissionMatrix | undefined;

/**
 * The role → permission matrix, data in fixtures/identity/role-permissions.json. Every role must
 * give every area a level: a gap fails at load, never at a patient's bedside.
 */
export function rolePermissionMatrix(fixturesDir: string = defaultFixturesDir()): RolePermissionMatrix {
  if (loaded && fixturesDir === defaultFixturesDir()) return loaded;
  const file = join(fixturesDir, 'identity', 'role-permissions.json');
  const matrix = Matrix.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (fixturesDir === defaultFixturesDir()) loaded = matrix;
  return matrix;
}

export interface Identity {
  role: StaffRole;
}

/** Whether the identity's role allows the action on the area. */
export function authorise(identity: Identity, permission: Permission, matrix = rolePermissionMatrix()): boolean {
  const level = matrix.roles[identity.role].permissions[permission.area];
  return permissionLevels.indexOf(level) >= permissionLevels.indexOf(permission.action);
}

/** As authorise, but refuses with a forbidden SimError that names what is missing. */
export function assertAuthorised(identity: Identity, permission: Permission, matrix = rolePermissionMatrix()): void {
  if (!authorise(identity, permission, matrix)) {
    throw new SimError(
      'forbidden',
      `The ${identity.role} role may not ${permission.action} ${permission.area}: sign in as a user whose role allows it (see GET /__sim/roles).`,
      { detail: { reason: 'role', role: identity.role } },
    );
  }
}

/** Which area of the role matrix each FHIR resource type belongs to; the directory is open to all staff. */
const resourceAreas: Record<string, PermissionArea | undefined> = {
  Patient: 'demographics',
  Appointment: 'appointments',
  DocumentReference: 'documents',
  Practitioner: undefined,
  Organization: undefined,
};

/** The permission reading a FHIR resource type needs; any clinical resource is the clinical record. */
export function resourceReadPermission(resourceType: string): Permission | undefined {
  const area = resourceType in resourceAreas ? resourceAreas[resourceType] : 'clinical-record';
  return area === undefined ? undefined : { area, action: 'view' };
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (staffRoles as readonly string[]).includes(value);
}
