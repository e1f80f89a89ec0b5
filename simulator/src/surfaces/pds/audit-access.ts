import type { Patient } from '../../domain/patient';
import type { Engine } from '../../engine';
import type { SimRequest } from '../../transport/types';

/**
 * PDS records every patient a retrieval or a search returns on its audit trail
 * (patient-search.yaml line 78); gpsim does the same on its own trail.
 */
export async function auditAccess(
  engine: Engine,
  request: SimRequest,
  action: 'read-patient' | 'search-patient',
  patient: Patient,
): Promise<void> {
  const clientId = request.annotations.clientId ?? request.headers['x-client-id'];
  await engine.audit({
    surface: 'pds',
    action,
    nhsNumber: patient.nhsNumber,
    ...(clientId === undefined ? {} : { clientId }),
    traceId: request.traceId,
    outcome: 'allowed',
  });
}
