import { SimError, simErrorCodes } from '@gpsim/simulator/domain/errors';
import type { SimRequest } from '@gpsim/simulator/transport/types';
import {
  SPINE_ERROR_SYSTEM,
  pdsBadRequest,
  pdsStatusTable,
  renderPdsError,
  tooManyMatches,
} from '@gpsim/simulator/surfaces/pds/pds-errors';

const request = {
  headers: { 'x-request-id': '60E0B220-8136-4CA5-AE46-1D97EF59D068', 'x-correlation-id': 'corr-1' },
  annotations: {},
} as unknown as SimRequest;

interface Outcome {
  issue: {
    severity: string;
    code: string;
    details: { coding: { system: string; version: string; code: string; display: string }[] };
    diagnostics?: string;
  }[];
}

function render(error: SimError) {
  const response = renderPdsError(error, request);
  return { response, outcome: JSON.parse(String(response.body)) as Outcome };
}

describe('PDS error rendering', () => {
  it.each([...simErrorCodes])('renders %s in the PDS OperationOutcome shape, mirroring the request ids', (code) => {
    const { response, outcome } = render(new SimError(code, 'what to do next'));
    expect(response.status).toBe(pdsStatusTable[code].status);
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/fhir+json',
      'X-Request-ID': '60E0B220-8136-4CA5-AE46-1D97EF59D068',
      'X-Correlation-ID': 'corr-1',
    });
    expect(outcome.issue[0]?.details.coding[0]).toMatchObject({ system: SPINE_ERROR_SYSTEM, version: '1' });
  });

  it('answers an invalid NHS number with 400 INVALID_RESOURCE_ID (patient-get.yaml line 62)', () => {
    const { response, outcome } = render(new SimError('invalid-nhs-number', 'bad'));
    expect(response.status).toBe(400);
    expect(outcome.issue[0]).toMatchObject({
      severity: 'error',
      code: 'value',
      details: { coding: [{ code: 'INVALID_RESOURCE_ID', display: 'Resource Id is invalid' }] },
    });
  });

  it('answers an unknown patient with 404 RESOURCE_NOT_FOUND, severity information as the PDS stub has it', () => {
    const { response, outcome } = render(new SimError('patient-not-found', 'none'));
    expect(response.status).toBe(404);
    expect(outcome.issue[0]).toMatchObject({
      severity: 'information',
      code: 'not-found',
      details: { coding: [{ code: 'RESOURCE_NOT_FOUND', display: 'Resource not found' }] },
    });
  });

  it('keeps the specific PDS code of a 400 (MISSING_VALUE is issue type "required")', () => {
    const { response, outcome } = render(pdsBadRequest('MISSING_VALUE', "Missing value - 'birth_date'"));
    expect(response.status).toBe(400);
    expect(outcome.issue[0]).toMatchObject({ code: 'required', details: { coding: [{ code: 'MISSING_VALUE' }] } });
  });

  it('asks for a retry after 5 seconds on 503 SERVICE_UNAVAILABLE (proxy policy ServiceUnavailable)', () => {
    const { response, outcome } = render(new SimError('unavailable', 'down'));
    expect(response.status).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('5');
    expect(outcome.issue[0]).toMatchObject({ code: 'timeout', details: { coding: [{ code: 'SERVICE_UNAVAILABLE' }] } });
  });

  it('shapes TOO_MANY_MATCHES as the sandbox stub does: information, multiple-matches', () => {
    expect(tooManyMatches(1)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'information',
          code: 'multiple-matches',
          details: {
            coding: [
              { system: SPINE_ERROR_SYSTEM, version: '1', code: 'TOO_MANY_MATCHES', display: 'Too Many Matches' },
            ],
          },
        },
      ],
    });
  });
});
