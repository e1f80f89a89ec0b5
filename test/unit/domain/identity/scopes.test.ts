import { isKnownScope, parseResourceScope, readAccess } from '@gpsim/simulator/domain/identity/scopes';

/** SMART scopes v1 and v2 (HL7 smart-app-launch scopes-and-launch-context.md). */
describe('SMART scopes', () => {
  it.each([
    ['patient/Observation.rs', { context: 'patient', type: 'Observation', read: true }],
    ['user/*.cruds', { context: 'user', type: '*', read: true }],
    ['system/Patient.read', { context: 'system', type: 'Patient', read: true }],
    ['patient/*.*', { context: 'patient', type: '*', read: true }],
    ['user/Condition.c', { context: 'user', type: 'Condition', read: false }],
    ['patient/Observation.write', { context: 'patient', type: 'Observation', read: false }],
  ])('parses %s', (scope, expected) => {
    expect(parseResourceScope(scope)).toEqual(expected);
  });

  it.each(['patient/Observation.', 'patient/observation.rs', 'doctor/*.rs', 'patient/*.rsx', 'patient/*.sr'])(
    'does not take %s for a resource scope',
    (scope) => {
      expect(parseResourceScope(scope)).toBeUndefined();
    },
  );

  it('knows the launch, identity and CIS2 scopes', () => {
    for (const scope of [
      'launch',
      'launch/patient',
      'openid',
      'fhirUser',
      'offline_access',
      'nationalrbacaccess',
      'selectedrole',
    ]) {
      expect(isKnownScope(scope)).toBe(true);
    }
    expect(isKnownScope('admin')).toBe(false);
  });

  it('lets a user or system scope win over a patient scope for the same type', () => {
    expect(readAccess(['patient/*.rs', 'user/Observation.rs'], 'Observation')).toBe('any');
    expect(readAccess(['patient/*.rs', 'user/Observation.rs'], 'Condition')).toBe('patient');
    expect(readAccess(['patient/Patient.rs'], 'Condition')).toBe('none');
    expect(readAccess(['user/Condition.c'], 'Condition')).toBe('none');
  });
});
