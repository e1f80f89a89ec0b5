import type { SimRequest } from '../../transport/types';
import { pdsBadRequest } from './pds-errors';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * X-Request-ID is mandatory and must be a UUID (personal-demographics.yaml, parameter RequestID);
 * the sandbox answers 400 MISSING_VALUE without it and INVALID_VALUE for a non-UUID, with these
 * diagnostics (sandbox supporting-functions.js, validateRequestIDHeader).
 */
export function checkRequestId(request: SimRequest): void {
  const requestId = request.headers['x-request-id'];
  if (requestId === undefined || requestId === '') {
    throw pdsBadRequest(
      'MISSING_VALUE',
      'Invalid request with error - X-Request-ID header must be supplied to access this resource',
      'X-Request-ID',
    );
  }
  if (!UUID.test(requestId)) {
    throw pdsBadRequest('INVALID_VALUE', `Invalid value - '${requestId}' in header 'X-Request-ID'`, 'X-Request-ID');
  }
}
