import type { Patient } from '../../domain/patient';
import type { Engine } from '../../engine';
import type { SimRequest } from '../../transport/types';

export type RecordApiAction = 'read-patient' | 'search-patient' | 'read-record';

/** Every look at a patient's data goes on the audit trail: who, which patient, what, and whether it was shown. */
export async function auditAccess(
  engine: Engine,
  request: SimRequest,
  action: RecordApiAction,
  patient: Patient,
  outcome: 'allowed' | 'refused' = 'allowed',
): Promise<void> {
  const clientId = request.annotations.clientId ?? request.headers['x-client-id'];
  await engine.audit({
    surface: 'fhir-r4',
    action,
    nhsNumber: patient.nhsNumber,
    ...(clientId === undefined ? {} : { clientId }),
    traceId: request.traceId,
    outcome,
  });
}
