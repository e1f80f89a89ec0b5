export { ResilientTransport, parseRetryAfter, toApiError } from './resilient-transport';
export type {
  RetryOptions,
  TransportHooks,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from './resilient-transport';
export { CircuitBreaker } from './circuit-breaker';
export type { CircuitBreakerOptions, CircuitState } from './circuit-breaker';
export {
  GpsimApiError,
  GpsimNetworkError,
  describeErrorBody,
  isGpsimApiError,
  isGpsimNetworkError,
  isRetryableStatus,
} from './errors';
export type { ApiSurface } from './errors';
