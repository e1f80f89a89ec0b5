import type { Patient } from '../../domain/patient';
import type { Engine } from '../../engine';
import type { SimRequest } from '../../transport/types';
import { tokenClaims } from './access-token';

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
  const claims = tokenClaims(request);
  await engine.audit({
    surface: 'fhir-r4',
    action,
    nhsNumber: patient.nhsNumber,
    ...(clientId === undefined ? {} : { clientId }),
    ...(claims?.fhirUser === undefined ? {} : { user: claims.sub }),
    ...(claims?.role === undefined ? {} : { role: claims.role }),
    ...(claims?.ods === undefined ? {} : { organisation: claims.ods }),
    ...(claims?.device === undefined ? {} : { device: claims.device }),
    ...(claims?.launch_id === undefined ? {} : { reason: `launch ${claims.launch_id}` }),
    traceId: request.traceId,
    outcome,
  });
}
