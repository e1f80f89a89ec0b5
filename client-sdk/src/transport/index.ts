export { ResilientTransport, parseBody, parseRetryAfter, toApiError } from './resilient-transport.js';
export type {
  RetryOptions,
  StreamingResponse,
  TransportHooks,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from './resilient-transport.js';
export { CircuitBreaker } from './circuit-breaker.js';
export type { CircuitBreakerOptions, CircuitState } from './circuit-breaker.js';
export {
  GpsimApiError,
  GpsimNetworkError,
  describeErrorBody,
  isGpsimApiError,
  isGpsimNetworkError,
  isRetryableStatus,
} from './errors.js';
export type { ApiSurface } from './errors.js';
export { splitUrl, transportFor } from './client-options.js';
export type { ClientOptions } from './client-options.js';
