import { SimError, simErrorCodes } from '@gpsim/simulator/domain/errors';
import type { SimRequest } from '@gpsim/simulator/transport/types';
import {
  SPINE_ERROR_SYSTEM,
  fhirR4StatusTable,
  renderFhirR4Error,
} from '@gpsim/simulator/surfaces/fhir-r4/operation-outcome';

const request = { headers: {}, annotations: {} } as unknown as SimRequest;

interface Outcome {
  resourceType: string;
  issue: {
    severity: string;
    code: string;
    details: { coding: { system: string; version: string; code: string }[] };
    diagnostics: string;
  }[];
}

function render(error: SimError) {
  const response = renderFhirR4Error(error, request);
  return { response, outcome: JSON.parse(String(response.body)) as Outcome };
}

describe('UK Core R4 error rendering', () => {
  it.each([...simErrorCodes])('renders %s as an OperationOutcome with a Spine error code', (code) => {
    const { response, outcome } = render(new SimError(code, 'what to do next'));
    expect(response.status).toBe(fhirR4StatusTable[code].status);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers?.['Content-Type']).toBe('application/fhir+json; charset=utf-8');
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.details.coding[0]).toMatchObject({ system: SPINE_ERROR_SYSTEM, version: '1' });
    expect(outcome.issue[0]?.diagnostics).toBe('what to do next');
  });

  it.each([
    ['patient-not-found', 404, 'not-found', 'RESOURCE_NOT_FOUND'],
    ['invalid-parameter', 400, 'value', 'INVALID_SEARCH_DATA'],
    ['invalid-identifier-system', 400, 'value', 'INVALID_IDENTIFIER_SYSTEM'],
    ['not-acceptable', 406, 'not-supported', 'INVALID_VALUE'],
    ['method-not-allowed', 405, 'not-supported', 'INVALID_METHOD'],
  ] as const)('maps %s to %i %s / %s', (code, status, issue, spine) => {
    const { response, outcome } = render(new SimError(code, 'x'));
    expect(response.status).toBe(status);
    expect(outcome.issue[0]?.code).toBe(issue);
    expect(outcome.issue[0]?.details.coding[0]?.code).toBe(spine);
  });
});
