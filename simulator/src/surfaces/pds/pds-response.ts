import type { SimRequest, SimResponse } from '../../transport/types';

export const PDS_JSON = 'application/fhir+json';

/** X-Request-ID and X-Correlation-ID are mirrored back on every response, errors included (patient-get.yaml). */
export function mirroredHeaders(request: SimRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  const requestId = request.headers['x-request-id'];
  const correlationId = request.headers['x-correlation-id'];
  if (requestId) headers['X-Request-ID'] = requestId;
  if (correlationId) headers['X-Correlation-ID'] = correlationId;
  return headers;
}

export function pdsJsonResponse(
  request: SimRequest,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'Content-Type': PDS_JSON, 'Cache-Control': 'no-store', ...mirroredHeaders(request), ...headers },
    body: JSON.stringify(body),
  };
}
