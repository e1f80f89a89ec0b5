/**
 * SMART scopes, v1 (`patient/Observation.read`) and v2 (`patient/Observation.rs`)
 * (HL7 smart-app-launch scopes-and-launch-context.md; reference/domain.md §3.1 item 7).
 */
export type ScopeContext = 'patient' | 'user' | 'system';

export interface ResourceScope {
  context: ScopeContext;
  /** A resource type or `*`. */
  type: string;
  read: boolean;
}

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)$/;

/** Non-resource scopes this server understands. */
export const launchScopes = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
  'nationalrbacaccess',
  'selectedrole',
] as const;

export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (!match || match[3] === '') return undefined;
  const [, context, type, permission] = match as unknown as [string, ScopeContext, string, string];
  // v1 names a permission (read, write, *); v2 lists letters of cruds, where r or s allows reading.
  const v1 = permission === 'read' || permission === 'write' || permission === '*';
  const read = v1 ? permission !== 'write' : /[rs]/.test(permission);
  return { context, type, read };
}

export function isKnownScope(scope: string): boolean {
  return (launchScopes as readonly string[]).includes(scope) || parseResourceScope(scope) !== undefined;
}

export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((part) => part !== '');
}

/**
 * How a token may read a resource type: `any` (user or system scope), `patient` (only the launch
 * patient's data) or `none`. A wider grant wins when several scopes cover the type.
 */
export function readAccess(scopes: readonly string[], type: string): 'any' | 'patient' | 'none' {
  let access: 'any' | 'patient' | 'none' = 'none';
  for (const scope of scopes) {
    const parsed = parseResourceScope(scope);
    if (!parsed?.read || (parsed.type !== '*' && parsed.type !== type)) continue;
    if (parsed.context !== 'patient') return 'any';
    access = 'patient';
  }
  return access;
}
