import type { Patient } from '../../domain/patient';
import type { GpcContext } from './gpc-request';

/** Every look at a patient's record goes on the audit trail: who (from the JWT), which patient, which interaction. */
export async function auditGpcAccess(
  context: GpcContext,
  patient: Patient,
  outcome: 'allowed' | 'refused' = 'allowed',
): Promise<void> {
  const { engine, request, token } = context;
  await engine.audit({
    surface: 'gpconnect',
    action: context.interaction,
    nhsNumber: patient.nhsNumber,
    clientId: request.headers['ssp-from'] ?? token.iss,
    user: `${token.practitioner.name} (${token.practitioner.sdsUserId})`,
    organisation: token.organization.ods,
    reason: request.annotations.interaction ?? 'directcare',
    traceId: request.traceId,
    outcome,
  });
}
