export interface CircuitBreakerOptions {
  /** Consecutive failures (network errors, 5xx) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses requests before letting one probe through. */
  resetAfterMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

const defaults: CircuitBreakerOptions = { failureThreshold: 3, resetAfterMs: 10_000 };

/**
 * Stops sending to an endpoint that keeps failing: after `failureThreshold` failures in a row the
 * circuit opens; after `resetAfterMs` one probe is allowed (half-open); its success closes the
 * circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private readonly options: CircuitBreakerOptions;
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;

  constructor(
    options: Partial<CircuitBreakerOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...defaults, ...options };
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.resetAfterMs ? 'half-open' : 'open';
  }

  allowsRequest(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && !this.probing);
  }

  beforeRequest(): void {
    if (this.state === 'half-open') this.probing = true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  recordFailure(): void {
    if (this.state === 'half-open' || (this.failures += 1) >= this.options.failureThreshold) {
      this.openedAt = this.now();
    }
    this.probing = false;
  }
}
