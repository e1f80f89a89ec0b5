import { SimError } from '../../domain/errors';
import type { AccessClaims } from '../../domain/identity/auth-service';
import { assertAuthorised, isStaffRole, resourceReadPermission } from '../../domain/identity/role-permissions';
import { readAccess, splitScopes } from '../../domain/identity/scopes';
import type { Patient } from '../../domain/patient';
import { isVisibleOnRecordApi } from '../../domain/patient-access';
import type { Engine } from '../../engine';
import type { SimRequest } from '../../transport/types';
import { bearerToken } from '../oauth/bearer';

interface R4Grant {
  claims: AccessClaims;
  /** Only the launch patient's data (patient/ scopes alone cover the type). */
  patientOnly: boolean;
}

const grants = new WeakMap<SimRequest, R4Grant>();

/**
 * Every /fhir/R4 request but /metadata needs a valid bearer token whose scopes cover the resource
 * type (SMART scopes-and-launch-context.md). A token holding only patient/ scopes sees only its
 * launch patient; user/ and system/ scopes see what the server otherwise shows.
 */
export function authoriseR4Request(engine: Engine, request: SimRequest, resourceType: string): void {
  const claims = engine.auth.verifyAccessToken(bearerToken(request));
  request.annotations.clientId = claims.client_id;
  const access = readAccess(splitScopes(claims.scope), resourceType);
  if (access === 'none') {
    throw new SimError(
      'forbidden',
      `The token's scopes do not allow reading ${resourceType}: ask for patient/${resourceType}.rs or user/${resourceType}.rs.`,
      { detail: { insufficientScope: true } },
    );
  }
  if (access === 'patient' && claims.patient === undefined) {
    throw new SimError('forbidden', 'patient/ scopes need a patient in context: launch the app with a patient.', {
      detail: { insufficientScope: true },
    });
  }
  // A user's token can never do more than the user's role allows, whatever its scopes say.
  const permission = resourceReadPermission(resourceType);
  if (permission !== undefined && isStaffRole(claims.role)) assertAuthorised({ role: claims.role }, permission);
  grants.set(request, { claims, patientOnly: access === 'patient' });
}

/** The claims of the token that authorised this request, for the audit trail. */
export function tokenClaims(request: SimRequest): AccessClaims | undefined {
  return grants.get(request)?.claims;
}

/** Whether this request may see the patient: never a sensitive one; only the launch patient on patient/ scopes. */
export function maySeePatient(request: SimRequest, patient: Patient): boolean {
  if (!isVisibleOnRecordApi(patient)) return false;
  const grant = grants.get(request);
  return !grant?.patientOnly || grant.claims.patient === patient.id;
}
