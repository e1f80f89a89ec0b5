import type { ApiSurface } from './errors.js';
import { GpsimApiError, GpsimNetworkError, describeErrorBody, isRetryableStatus } from './errors.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';

export interface RetryOptions {
  /** Attempts in all, the first included (the SSP guidance allows at most 3 automated retries). */
  maxAttempts: number;
  /** First backoff; doubles each retry up to maxDelayMs, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up once this much time has passed since the first attempt. */
  maxElapsedMs: number;
}

export interface TransportHooks {
  onAttempt?(event: { endpoint: string; attempt: number; method: string; path: string }): void;
  onRetry?(event: { attempt: number; delayMs: number; reason: string; endpoint: string }): void;
  onFailover?(event: { from: string; to: string }): void;
  onResponse?(event: { endpoint: string; status: number; durationMs: number; attempt: number }): void;
}

export interface TransportOptions {
  /** Base URLs in order of preference (primary first): the transport fails over and back between them. */
  endpoints: readonly string[];
  fetch?: typeof fetch;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  circuitBreaker?: Partial<CircuitBreakerOptions>;
  hooks?: TransportHooks;
  /** Injectable for tests: the time source, the wait, and the jitter. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface TransportRequest {
  method: string;
  /** Appended to the chosen endpoint's base URL. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** Extra headers for this attempt only, e.g. a MESH token that must be fresh on every attempt. */
  headersPerAttempt?: () => Record<string, string> | Promise<Record<string, string>>;
  /**
   * Whether sending it twice is harmless. GET, HEAD, PUT and DELETE are by HTTP semantics; a POST
   * only when it carries an idempotency key (then the same key is sent on every attempt).
   */
  idempotent?: boolean;
  idempotencyKey?: { header: string; value: string };
  signal?: AbortSignal;
  surface?: ApiSurface;
  timeoutMs?: number;
  /** 'manual' to read a redirect (an OAuth authorize reply) instead of following it. */
  redirect?: 'follow' | 'manual' | 'error';
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  /** The body as text (the client layer parses it). */
  text: string;
  endpoint: string;
  attempts: number;
}

/** A response whose body has not been read: large downloads are streamed, never buffered. */
export interface StreamingResponse extends Omit<TransportResponse, 'text'> {
  body: ReadableStream<Uint8Array<ArrayBuffer>> | null;
}

const defaultRetry: RetryOptions = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, maxElapsedMs: 30_000 };

/**
 * One resilient transport under every client: timeouts, retries only where safe (network errors,
 * 429, 502/503/504 — never other 4xx), exponential backoff with full jitter, Retry-After honoured,
 * bounded attempts and time, a circuit breaker per endpoint, and failover along the endpoint list
 * with failback to the primary once it recovers. No global state: each instance is independent.
 */
export class ResilientTransport {
  private readonly endpoints: readonly string[];
  private readonly breakers: Map<string, CircuitBreaker>;
  private readonly retry: RetryOptions;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private lastEndpoint: string | undefined;

  constructor(private readonly options: TransportOptions) {
    if (options.endpoints.length === 0) throw new RangeError('ResilientTransport needs at least one endpoint');
    this.endpoints = options.endpoints.map((endpoint) => endpoint.replace(/\/+$/, ''));
    this.retry = { ...defaultRetry, ...options.retry };
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.breakers = new Map(
      this.endpoints.map((endpoint) => [endpoint, new CircuitBreaker(options.circuitBreaker, this.now)]),
    );
  }

  /** Circuit state of each endpoint, for diagnostics and tests. */
  circuitStates(): Record<string, string> {
    return Object.fromEntries([...this.breakers].map(([endpoint, breaker]) => [endpoint, breaker.state]));
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    return this.exchange(request, async (response, base) => ({ ...base, text: await response.text() }));
  }

  /**
   * Like send, but hands back the unread body stream of the final answer. A retried attempt's
   * body is drained and dropped, so memory stays flat however large the answer. The timeout covers
   * the attempt up to the response headers; bound the body's reading with `signal`.
   */
  async open(request: TransportRequest): Promise<StreamingResponse> {
    return this.exchange(request, (response, base) => {
      if (isRetryableStatus(response.status)) return response.text().then(() => ({ ...base, body: null }));
      return Promise.resolve({ ...base, body: response.body as ReadableStream<Uint8Array<ArrayBuffer>> | null });
    });
  }

  private async exchange<T extends { status: number; headers: Headers }>(
    request: TransportRequest,
    read: (response: Response, base: Omit<TransportResponse, 'text'>) => Promise<T>,
  ): Promise<T> {
    const started = this.now();
    const idempotent =
      request.idempotent ??
      (['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(request.method.toUpperCase()) ||
        request.idempotencyKey !== undefined);
    const headers = {
      ...request.headers,
      ...(request.idempotencyKey ? { [request.idempotencyKey.header]: request.idempotencyKey.value } : {}),
    };
    const causes: unknown[] = [];
    let lastResponse: T | undefined;
    let preferred = 0;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      const endpoint = this.chooseEndpoint(preferred);
      if (!endpoint) {
        causes.push(new Error('every endpoint circuit is open'));
        break;
      }
      if (this.lastEndpoint !== undefined && this.lastEndpoint !== endpoint)
        this.options.hooks?.onFailover?.({ from: this.lastEndpoint, to: endpoint });
      this.lastEndpoint = endpoint;
      const breaker = this.breakers.get(endpoint) as CircuitBreaker;
      breaker.beforeRequest();
      this.options.hooks?.onAttempt?.({ endpoint, attempt, method: request.method, path: request.path });
      const attemptStarted = this.now();
      let retryReason: string;
      let retryAfterMs: number | undefined;
      // A timer cleared when the attempt ends: AbortSignal.timeout would keep the request (and its
      // body) reachable from the signal until the timeout fires, however early the answer came.
      const timeout = new AbortController();
      const timer = setTimeout(
        () => timeout.abort(new DOMException('The attempt timed out', 'TimeoutError')),
        request.timeoutMs ?? this.options.timeoutMs ?? 30_000,
      );
      try {
        const response = await this.attempt(endpoint, request, headers, timeout.signal);
        this.options.hooks?.onResponse?.({
          endpoint,
          status: response.status,
          durationMs: this.now() - attemptStarted,
          attempt,
        });
        lastResponse = await read(response, {
          status: response.status,
          headers: response.headers,
          endpoint,
          attempts: attempt,
        });
        if (!isRetryableStatus(response.status)) {
          if (response.status >= 500) breaker.recordFailure();
          else breaker.recordSuccess();
          return lastResponse;
        }
        // 429 is the caller's quota: another node would refuse too. Unavailability is the node's.
        if (response.status === 429) breaker.recordSuccess();
        else {
          breaker.recordFailure();
          preferred = this.endpoints.indexOf(endpoint) + 1;
        }
        retryReason = `HTTP ${response.status}`;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        breaker.recordFailure();
        causes.push(error);
        retryReason = error instanceof Error ? error.message : String(error);
        preferred = this.endpoints.indexOf(endpoint) + 1;
        lastResponse = undefined;
      } finally {
        clearTimeout(timer);
      }
      if (!idempotent || attempt === this.retry.maxAttempts) break;
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)) * this.random();
      const delayMs = retryAfterMs !== undefined ? Math.max(retryAfterMs, backoff) : backoff;
      if (this.now() - started + delayMs > this.retry.maxElapsedMs) break;
      this.options.hooks?.onRetry?.({ attempt, delayMs, reason: retryReason, endpoint });
      await this.sleep(delayMs, request.signal);
    }
    if (lastResponse) return lastResponse;
    throw new GpsimNetworkError(
      `${request.method} ${request.path} got no answer from ${this.endpoints.join(', ')}`,
      causes,
    );
  }

  /** Sends and parses JSON, turning error statuses into GpsimApiError. */
  async json<T>(request: TransportRequest): Promise<T> {
    const response = await this.send({ ...request, headers: { Accept: 'application/json', ...request.headers } });
    const body = parseBody(response.text);
    if (response.status >= 400) throw toApiError(response, body, request.surface ?? 'unknown');
    return body as T;
  }

  /** The first endpoint from `preferred` onwards (wrapping) whose circuit lets a request through. */
  private chooseEndpoint(preferred: number): string | undefined {
    // Always start from the primary unless this request has just failed there: that is failback.
    for (let offset = 0; offset < this.endpoints.length; offset++) {
      const endpoint = this.endpoints[(preferred + offset) % this.endpoints.length] as string;
      if ((this.breakers.get(endpoint) as CircuitBreaker).allowsRequest()) return endpoint;
    }
    return undefined;
  }

  private async attempt(
    endpoint: string,
    request: TransportRequest,
    headers: Record<string, string>,
    timeout: AbortSignal,
  ): Promise<Response> {
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    return this.fetchImpl(`${endpoint}${request.path}`, {
      method: request.method,
      headers: { ...headers, ...(await request.headersPerAttempt?.()) },
      ...(request.redirect ? { redirect: request.redirect } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal,
    });
  }
}

/** `sentTraceId`: the trace id the request carried, for answers that do not echo one. */
export function toApiError(
  response: Pick<TransportResponse, 'status' | 'headers'>,
  body: unknown,
  surface: ApiSurface,
  sentTraceId?: string,
): GpsimApiError {
  const { code, message } = describeErrorBody(body, response.status);
  const traceId =
    response.headers.get('ssp-traceid') ??
    response.headers.get('x-request-id') ??
    response.headers.get('x-correlation-id') ??
    sentTraceId;
  return new GpsimApiError({ surface, status: response.status, code, message, body, ...(traceId ? { traceId } : {}) });
}

export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
