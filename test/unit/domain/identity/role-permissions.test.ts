import { staffRoles } from '@gpsim/simulator/domain/estate';
import type { PermissionAction, PermissionArea } from '@gpsim/simulator/domain/identity/role-permissions';
import {
  assertAuthorised,
  authorise,
  permissionAreas,
  resourceReadPermission,
  rolePermissionMatrix,
} from '@gpsim/simulator/domain/identity/role-permissions';

/**
 * The matrix in fixtures/identity/role-permissions.json, restated here one letter per area in the
 * order of permissionAreas (N never, V view, C create-change, A approve), so a change to the data
 * has to be made on purpose in both places. Groups per the go-live guide §5.1.
 */
const expected: Record<(typeof staffRoles)[number], string> = {
  //                     dem app cli sen pre doc wor com rep aud con usr
  gp: /*               */ 'C   C   A   V   A   A   A   A   V   N   N   N',
  nurse: /*            */ 'C   C   C   N   C   C   C   C   V   N   N   N',
  hca: /*              */ 'V   C   V   N   N   V   V   V   N   N   N   N',
  pharmacist: /*       */ 'V   V   C   N   A   V   C   C   V   N   N   N',
  receptionist: /*     */ 'C   C   N   N   N   N   C   C   N   N   N   N',
  'practice-manager': /**/ 'V   A   N   N   N   N   A   A   A   V   A   V',
  'system-administrator': 'V   V   N   N   N   N   V   N   V   V   C   A',
};
const rank = { N: 0, V: 1, C: 2, A: 3 } as const;
const actions: readonly PermissionAction[] = ['view', 'create-change', 'approve'];
const actionRank: Record<PermissionAction, number> = { view: 1, 'create-change': 2, approve: 3 };

function levelOf(role: (typeof staffRoles)[number], area: PermissionArea): number {
  const letter = expected[role].split(/\s+/)[permissionAreas.indexOf(area)] as keyof typeof rank;
  return rank[letter];
}

describe('role → permission matrix (go-live guide §5.1: view / create-change / approve / never)', () => {
  it('gives every role a level for every area', () => {
    const matrix = rolePermissionMatrix();
    for (const role of staffRoles) {
      expect(Object.keys(matrix.roles[role].permissions).sort()).toEqual([...permissionAreas].sort());
    }
  });

  const cases = staffRoles.flatMap((role) =>
    permissionAreas.flatMap((area) => actions.map((action) => [role, area, action] as const)),
  );
  it.each(cases)('%s on %s, asking to %s: decided exactly as the matrix says', (role, area, action) => {
    expect(authorise({ role }, { area, action })).toBe(levelOf(role, area) >= actionRank[action]);
  });

  it('lets a receptionist see and book appointments but not read the clinical record', () => {
    expect(authorise({ role: 'receptionist' }, { area: 'appointments', action: 'create-change' })).toBe(true);
    expect(authorise({ role: 'receptionist' }, { area: 'clinical-record', action: 'view' })).toBe(false);
  });

  it('lets only a GP see a sensitive record', () => {
    const allowed = staffRoles.filter((role) => authorise({ role }, { area: 'sensitive-record', action: 'view' }));
    expect(allowed).toEqual(['gp']);
  });

  it('lets only the system administrator approve user accounts (who adds work email addresses)', () => {
    const allowed = staffRoles.filter((role) => authorise({ role }, { area: 'user-accounts', action: 'approve' }));
    expect(allowed).toEqual(['system-administrator']);
  });

  it('gives every clinical role and no other the clinical record', () => {
    const matrix = rolePermissionMatrix();
    for (const role of staffRoles) {
      const clinical = matrix.roles[role].group === 'clinical';
      expect(authorise({ role }, { area: 'clinical-record', action: 'view' })).toBe(clinical);
    }
  });

  it('refuses with a forbidden error that says what to do', () => {
    expect(() => assertAuthorised({ role: 'hca' }, { area: 'prescriptions', action: 'approve' })).toThrow(
      /hca role may not approve prescriptions/,
    );
  });

  it('files each FHIR resource type under a matrix area for reads; the staff directory needs none', () => {
    expect(resourceReadPermission('Patient')).toEqual({ area: 'demographics', action: 'view' });
    expect(resourceReadPermission('Appointment')).toEqual({ area: 'appointments', action: 'view' });
    expect(resourceReadPermission('DocumentReference')).toEqual({ area: 'documents', action: 'view' });
    expect(resourceReadPermission('Condition')).toEqual({ area: 'clinical-record', action: 'view' });
    expect(resourceReadPermission('Practitioner')).toBeUndefined();
    expect(resourceReadPermission('Organization')).toBeUndefined();
  });
});
